// Package store holds the stub's state: the domain records (organizations, projects, database
// users, certificates, ...), the rules that guard them, and the Backend they persist in.
//
// The store speaks domain records, never generated API types: a record keeps only what the stub
// must remember, secrets only as hashes, and certificate private keys not at all.
package store

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Store is the typed, rule-keeping view of a Backend.
type Store struct {
	backend Backend
	now     func() time.Time
}

// New returns a store over backend whose rules read the time from now.
func New(backend Backend, now func() time.Time) *Store {
	return &Store{backend: backend, now: now}
}

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(*Tx) error) error {
	return s.backend.View(func(raw RawTx) error { return fn(&Tx{raw: raw, now: s.now()}) })
}

// Update runs fn in a read-write transaction; none of its writes are kept if fn returns an error.
func (s *Store) Update(fn func(*Tx) error) error {
	return s.backend.Update(func(raw RawTx) error { return fn(&Tx{raw: raw, now: s.now()}) })
}

// Read runs fn in a read-only transaction of s and returns what it read.
func Read[T any](s *Store, fn func(*Tx) (T, error)) (T, error) {
	var v T
	err := s.View(func(tx *Tx) (err error) {
		v, err = fn(tx)
		return err
	})
	return v, err
}

// Write runs fn in a read-write transaction of s and returns what it wrote; nothing is kept
// when fn fails.
func Write[T any](s *Store, fn func(*Tx) (T, error)) (T, error) {
	var v T
	err := s.Update(func(tx *Tx) (err error) {
		v, err = fn(tx)
		return err
	})
	return v, err
}

// Close releases the backend.
func (s *Store) Close() error { return s.backend.Close() }

// Tx is one transaction over the state. Its clock stands still for the transaction's length.
type Tx struct {
	raw RawTx
	now time.Time
}

// Now returns the time at which the transaction started.
func (tx *Tx) Now() time.Time { return tx.now }

// table reads and writes the JSON records of one bucket.
type table[T any] struct{ bucket string }

func (t table[T]) get(tx *Tx, key string) (T, bool, error) {
	var v T
	data, ok := tx.raw.Get(t.bucket, key)
	if !ok {
		return v, false, nil
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return v, false, fmt.Errorf("store: decode %s/%s: %w", t.bucket, key, err)
	}
	return v, true, nil
}

func (t table[T]) put(tx *Tx, key string, v T) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s/%s: %w", t.bucket, key, err)
	}
	return tx.raw.Put(t.bucket, key, data)
}

func (t table[T]) delete(tx *Tx, key string) error { return tx.raw.Delete(t.bucket, key) }

// scan calls visit with each record whose key starts with prefix, in key order, until visit
// returns false.
func (t table[T]) scan(tx *Tx, prefix string, visit func(key string, v T) bool) error {
	var err error
	tx.raw.Scan(t.bucket, prefix, func(key string, data []byte) bool {
		var v T
		if err = json.Unmarshal(data, &v); err != nil {
			err = fmt.Errorf("store: decode %s/%s: %w", t.bucket, key, err)
			return false
		}
		return visit(key, v)
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
	tx.raw.Scan(t.bucket, prefix, func(key string, _ []byte) bool {
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

// key joins the parts of a composite key. Each part is escaped so that a part holding the
// separator (usernames may contain '/') cannot be confused with a prefix of another key.
func key(parts ...string) string {
	escaped := make([]string, len(parts))
	for i, p := range parts {
		escaped[i] = url.PathEscape(p)
	}
	return strings.Join(escaped, "/")
}

// prefix is the key prefix shared by every key that starts with parts.
func prefix(parts ...string) string { return key(parts...) + "/" }
