package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
)

// table reads and writes the records of one bucket, values of type T. Make one with newTable,
// so that a data directory can decode its records when it opens.
type table[T any] struct{ bucket string }

// decoders holds, for each bucket that a table owns, how to decode a record of the bucket from
// its JSON encoding.
var decoders sync.Map // bucket name -> func([]byte) (any, error)

func newTable[T any](bucket string) table[T] {
	decoders.Store(bucket, func(data []byte) (any, error) {
		var v T
		err := json.Unmarshal(data, &v)
		return v, err
	})
	return table[T]{bucket: bucket}
}

// decodeRecord decodes a record of bucket that a file holds. A bucket that no table owns keeps
// its records as they are, Undecoded.
func decodeRecord(bucket string, data []byte) (any, error) {
	decode, ok := decoders.Load(bucket)
	if !ok {
		return Undecoded(bytes.Clone(data)), nil
	}
	return decode.(func([]byte) (any, error))(data)
}

// Undecoded is a record read from a file into a bucket that no table owns: its bytes.
type Undecoded []byte

func (t table[T]) get(tx *Tx, key string) (T, bool, error) {
	v, ok, err := t.shared(tx, key)
	if !ok {
		return v, false, err
	}
	return clone(v), true, nil
}

// shared returns the stored value itself, not a copy, for a rule of the store that only looks at
// it, as every request's check of its credential's access list does: never change it, nor hand it
// out.
func (t table[T]) shared(tx *Tx, key string) (T, bool, error) {
	v, ok := tx.raw.Get(t.bucket, key)
	if !ok {
		var zero T
		return zero, false, nil
	}
	record, err := t.typed(key, v)
	return record, err == nil, err
}

// typed returns a value of the bucket as a T. A value that is no T comes from a file whose
// bucket no table owned when it opened (a table made without newTable).
func (t table[T]) typed(key string, v any) (T, error) {
	record, ok := v.(T)
	if !ok {
		return record, fmt.Errorf("store: %s/%s holds a %T, not a %T", t.bucket, key, v, record)
	}
	return record, nil
}

// put stores v, as it reads back from its JSON encoding: what a read returns is what the data
// directory's file would give after a restart (times without their monotonic clock reading,
// numbers of a document as float64), whichever backend keeps it.
func (t table[T]) put(tx *Tx, key string, v T) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s/%s: %w", t.bucket, key, err)
	}
	var stored T
	if err := json.Unmarshal(data, &stored); err != nil {
		return fmt.Errorf("store: decode %s/%s: %w", t.bucket, key, err)
	}
	return tx.raw.Put(t.bucket, key, Record{Value: stored, JSON: data})
}

func (t table[T]) delete(tx *Tx, key string) error { return tx.raw.Delete(t.bucket, key) }

// scan calls visit with each record whose key starts with prefix, in key order, until visit
// returns false.
func (t table[T]) scan(tx *Tx, prefix string, visit func(key string, v T) bool) error {
	var err error
	tx.raw.Scan(t.bucket, prefix, func(key string, v any) bool {
		var record T
		if record, err = t.typed(key, v); err != nil {
			return false
		}
		return visit(key, clone(record))
	})
	return err
}

// list returns the records whose key starts with prefix, in key order.
func (t table[T]) list(tx *Tx, prefix string) ([]T, error) {
	var out []T
	err := t.scan(tx, prefix, func(_ string, v T) bool {
		out = append(out, v)
		return true
	})
	return out, err
}

// deletePrefix removes every record whose key starts with prefix.
func (t table[T]) deletePrefix(tx *Tx, prefix string) error {
	var keys []string
	tx.raw.Scan(t.bucket, prefix, func(key string, _ any) bool {
		keys = append(keys, key)
		return true
	})
	for _, key := range keys {
		if err := tx.raw.Delete(t.bucket, key); err != nil {
			return err
		}
	}
	return nil
}
