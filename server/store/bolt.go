package store

import (
	"os"
	"slices"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Bolt is the durable Backend: the records in one bbolt file, a bbolt bucket per bucket, and
// all of them also in memory, decoded, where every read finds them: reading with a data
// directory costs what it costs without one. OpenDataDir opens one.
//
// An Update runs on its own writes over the memory copy, writes them to the file in one bbolt
// transaction, which bbolt commits with fdatasync before Commit returns, and only then applies
// them to the memory copy: an Update that returned nil survives a crash of the process or the
// machine, an Update cut short by a crash leaves nothing behind (the file's meta page, written
// last, still names the previous state), and an Update that failed, in its function or in the
// file, leaves nothing in memory either. Readers see the last committed state, and do not wait
// for an Update's sync: only for the moment its writes take to apply in memory.
type Bolt struct {
	db     *bolt.DB
	memory *Memory
	// writer serializes Updates: the memory copy changes only under it.
	writer sync.Mutex
	// pidFile names the process that holds the file, for another that finds it taken.
	pidFile string
}

func (b *Bolt) View(fn func(RawTx) error) error { return b.memory.View(fn) }

// Update runs fn on a transaction of its own writes over the memory copy. An Update that wrote
// nothing does not touch the file: bbolt would commit an empty transaction too, and sync the
// file for it. Many Updates write nothing (the check of an access list that a credential does
// not have), and each sync costs a writer's turn.
func (b *Bolt) Update(fn func(RawTx) error) error {
	b.writer.Lock()
	defer b.writer.Unlock()
	// The memory copy changes only under b.writer, so this transaction reads it without its
	// lock, while readers go on reading it.
	tx := &pendingTx{committed: &memoryTx{m: b.memory}, writes: map[string]map[string]*write{}}
	if err := fn(tx); err != nil {
		return err
	}
	if len(tx.log) == 0 {
		return nil
	}
	if err := b.db.Update(tx.applyToFile); err != nil {
		return err
	}
	return b.memory.Update(tx.applyToMemory)
}

// Close waits for the transactions under way and closes the file, which lets another process
// take it.
func (b *Bolt) Close() error {
	_ = os.Remove(b.pidFile)
	return b.db.Close()
}

// pendingTx is a read-write transaction that keeps its writes apart from the committed records
// it reads, until they are committed.
type pendingTx struct {
	committed *memoryTx
	// writes holds the last write of each key, by bucket; log every write, in order.
	writes map[string]map[string]*write
	log    []*write
}

// write is one Put or Delete of a transaction.
type write struct {
	bucket, key string
	record      Record
	deleted     bool
}

func (tx *pendingTx) Get(bucket, key string) (any, bool) {
	if w, ok := tx.writes[bucket][key]; ok {
		return w.record.Value, !w.deleted
	}
	return tx.committed.Get(bucket, key)
}

func (tx *pendingTx) Put(bucket, key string, r Record) error {
	tx.remember(&write{bucket: bucket, key: key, record: r})
	return nil
}

func (tx *pendingTx) Delete(bucket, key string) error {
	tx.remember(&write{bucket: bucket, key: key, deleted: true})
	return nil
}

func (tx *pendingTx) remember(w *write) {
	if tx.writes[w.bucket] == nil {
		tx.writes[w.bucket] = map[string]*write{}
	}
	tx.writes[w.bucket][w.key] = w
	tx.log = append(tx.log, w)
}

// Scan merges the committed keys with the transaction's own writes, in key order.
func (tx *pendingTx) Scan(bucket, prefix string, fn func(key string, value any) bool) {
	var own []string
	for key := range tx.writes[bucket] {
		if strings.HasPrefix(key, prefix) {
			own = append(own, key)
		}
	}
	slices.Sort(own)
	emit := func(key string) bool {
		w := tx.writes[bucket][key]
		return w.deleted || fn(key, w.record.Value)
	}
	stopped := false
	tx.committed.Scan(bucket, prefix, func(key string, value any) bool {
		for len(own) > 0 && own[0] < key {
			if stopped = !emit(own[0]); stopped {
				return false
			}
			own = own[1:]
		}
		if len(own) > 0 && own[0] == key {
			own = own[1:]
			stopped = !emit(key)
			return !stopped
		}
		stopped = !fn(key, value)
		return !stopped
	})
	for _, key := range own {
		if stopped || !emit(key) {
			return
		}
	}
}

// applyToFile repeats the writes in a bbolt transaction.
func (tx *pendingTx) applyToFile(file *bolt.Tx) error {
	for _, w := range tx.log {
		if w.deleted {
			if b := file.Bucket([]byte(w.bucket)); b != nil {
				if err := b.Delete([]byte(w.key)); err != nil {
					return err
				}
			}
			continue
		}
		b, err := file.CreateBucketIfNotExists([]byte(w.bucket))
		if err != nil {
			return err
		}
		if err := b.Put([]byte(w.key), w.record.JSON); err != nil {
			return err
		}
	}
	return nil
}

// applyToMemory repeats the writes in the memory copy, once they are in the file.
func (tx *pendingTx) applyToMemory(memory RawTx) error {
	for _, w := range tx.log {
		var err error
		if w.deleted {
			err = memory.Delete(w.bucket, w.key)
		} else {
			err = memory.Put(w.bucket, w.key, w.record)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
