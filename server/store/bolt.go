package store

import (
	"os"

	bolt "go.etcd.io/bbolt"
)

// Bolt is the durable Backend: the records in one bbolt file, a bbolt bucket per bucket, and
// all of them also in memory, decoded, where every read finds them: reading with a data
// directory costs what it costs without one. OpenDataDir opens one.
//
// An Update runs on the memory copy and then writes what it changed to the file in one bbolt
// transaction, which bbolt commits with fdatasync before Commit returns: an Update that
// returned nil survives a crash of the process or the machine, and an Update cut short by a
// crash leaves nothing behind (the file's meta page, written last, still names the previous
// state). When the file's transaction fails, the memory copy is rolled back with it. Readers
// wait while an Update runs, its sync included, as they wait for one in memory.
type Bolt struct {
	db     *bolt.DB
	memory *Memory
	// pidFile names the process that holds the file, for another that finds it taken.
	pidFile string
}

func (b *Bolt) View(fn func(RawTx) error) error { return b.memory.View(fn) }

// Update runs fn on the memory copy and writes its writes to the file. An Update that wrote
// nothing does not touch the file: bbolt would commit an empty transaction too, and sync the
// file for it. Many Updates write nothing (the check of an access list that a credential does
// not have), and each sync costs a writer's turn.
func (b *Bolt) Update(fn func(RawTx) error) error {
	return b.memory.Update(func(tx RawTx) error {
		logged := &writeLog{RawTx: tx}
		if err := fn(logged); err != nil {
			return err
		}
		if len(logged.writes) == 0 {
			return nil
		}
		return b.db.Update(logged.apply)
	})
}

// Close waits for the transactions under way and closes the file, which lets another process
// take it.
func (b *Bolt) Close() error {
	_ = os.Remove(b.pidFile)
	return b.db.Close()
}

// writeLog is a RawTx that remembers the writes of a transaction, in order, to repeat them in
// the file.
type writeLog struct {
	RawTx
	writes []write
}

// write is one Put or Delete of a transaction.
type write struct {
	bucket, key string
	json        []byte
	deleted     bool
}

func (l *writeLog) Put(bucket, key string, r Record) error {
	if err := l.RawTx.Put(bucket, key, r); err != nil {
		return err
	}
	l.writes = append(l.writes, write{bucket: bucket, key: key, json: r.JSON})
	return nil
}

func (l *writeLog) Delete(bucket, key string) error {
	if err := l.RawTx.Delete(bucket, key); err != nil {
		return err
	}
	l.writes = append(l.writes, write{bucket: bucket, key: key, deleted: true})
	return nil
}

// apply repeats the writes in a bbolt transaction.
func (l *writeLog) apply(tx *bolt.Tx) error {
	for _, w := range l.writes {
		if w.deleted {
			if b := tx.Bucket([]byte(w.bucket)); b != nil {
				if err := b.Delete([]byte(w.key)); err != nil {
					return err
				}
			}
			continue
		}
		b, err := tx.CreateBucketIfNotExists([]byte(w.bucket))
		if err != nil {
			return err
		}
		if err := b.Put([]byte(w.key), w.json); err != nil {
			return err
		}
	}
	return nil
}
