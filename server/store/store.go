// Package store holds the stub's state: the domain records (organizations, projects, database
// users, certificates, ...), the rules that guard them, and the Backend they persist in.
//
// The store speaks domain records, never generated API types: a record keeps only what the stub
// must remember, secrets only as hashes, and certificate private keys not at all.
package store

import (
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
