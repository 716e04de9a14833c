package store

import (
	"bytes"
	"os"

	bolt "go.etcd.io/bbolt"
)

// Bolt is the durable Backend: the records in one bbolt file, a bbolt bucket per bucket.
// bbolt commits a transaction with fdatasync before Commit returns, so an Update that returned
// nil survives a crash of the process or the machine, and an Update cut short by a crash leaves
// nothing behind: the file's meta page, written last, still names the previous state. Readers
// see the last committed state and never wait for a writer. OpenDataDir opens one.
type Bolt struct {
	db *bolt.DB
	// pidFile names the process that holds the file, for another that finds it taken.
	pidFile string
}

func (b *Bolt) View(fn func(RawTx) error) error {
	return b.db.View(func(tx *bolt.Tx) error { return fn(&boltTx{tx: tx}) })
}

// Update runs fn in a bbolt read-write transaction, and commits it, with fsync, before it
// returns. A transaction is rolled back when fn fails or panics, and also when fn wrote nothing:
// bbolt would commit that too, and sync the file for it. Many Updates write nothing (the check
// of an access list that a credential does not have), and each sync costs a writer's turn.
func (b *Bolt) Update(fn func(RawTx) error) error {
	tx, err := b.db.Begin(true)
	if err != nil {
		return err
	}
	defer func() {
		if tx.DB() != nil { // not committed: fn failed or panicked
			_ = tx.Rollback()
		}
	}()
	raw := &boltTx{tx: tx}
	if err := fn(raw); err != nil {
		return err
	}
	if !raw.wrote {
		return tx.Rollback()
	}
	return tx.Commit()
}

// Close waits for the transactions under way and closes the file, which lets another process
// take it.
func (b *Bolt) Close() error {
	_ = os.Remove(b.pidFile)
	return b.db.Close()
}

// boltTx is a RawTx over a bbolt transaction. The values it returns live in the file's memory
// map and are valid until the transaction ends; the store decodes them before that.
type boltTx struct {
	tx *bolt.Tx
	// wrote is whether the transaction put or deleted a record.
	wrote bool
}

func (t *boltTx) Get(bucket, key string) ([]byte, bool) {
	b := t.tx.Bucket([]byte(bucket))
	if b == nil {
		return nil, false
	}
	v := b.Get([]byte(key))
	return v, v != nil
}

func (t *boltTx) Put(bucket, key string, value []byte) error {
	if !t.tx.Writable() {
		return errReadOnly
	}
	t.wrote = true
	b, err := t.tx.CreateBucketIfNotExists([]byte(bucket))
	if err != nil {
		return err
	}
	return b.Put([]byte(key), value)
}

func (t *boltTx) Delete(bucket, key string) error {
	if !t.tx.Writable() {
		return errReadOnly
	}
	t.wrote = true
	b := t.tx.Bucket([]byte(bucket))
	if b == nil {
		return nil
	}
	return b.Delete([]byte(key))
}

func (t *boltTx) Scan(bucket, prefix string, fn func(key string, value []byte) bool) {
	b := t.tx.Bucket([]byte(bucket))
	if b == nil {
		return
	}
	p := []byte(prefix)
	c := b.Cursor()
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		if !fn(string(k), v) {
			return
		}
	}
}
