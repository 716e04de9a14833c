package store

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Memory is the in-memory Backend: a sorted key index per bucket under one lock. Updates apply
// their writes in place and keep an undo log to roll back when the transaction fails. It keeps
// the values of records only, not their JSON encoding.
type Memory struct {
	mu      sync.RWMutex
	buckets map[string]*memoryBucket
}

type memoryBucket struct {
	values map[string]any
	keys   []string // sorted
}

// NewMemory returns an empty in-memory backend.
func NewMemory() *Memory { return &Memory{buckets: map[string]*memoryBucket{}} }

var errReadOnly = errors.New("store: write in a read-only transaction")

func (m *Memory) View(fn func(RawTx) error) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return fn(&memoryTx{m: m})
}

func (m *Memory) Update(fn func(RawTx) error) (err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	tx := &memoryTx{m: m, writable: true}
	defer func() {
		if r := recover(); r != nil {
			tx.rollback()
			panic(r)
		}
		if err != nil {
			tx.rollback()
		}
	}()
	return fn(tx)
}

func (m *Memory) Close() error { return nil }

type memoryTx struct {
	m        *Memory
	writable bool
	undo     []undoEntry
}

// undoEntry restores one key to what it held before the transaction wrote it.
type undoEntry struct {
	bucket, key string
	previous    any
	existed     bool
}

func (tx *memoryTx) bucket(name string, create bool) *memoryBucket {
	b := tx.m.buckets[name]
	if b == nil && create {
		b = &memoryBucket{values: map[string]any{}}
		tx.m.buckets[name] = b
	}
	return b
}

func (tx *memoryTx) Get(bucket, key string) (any, bool) {
	b := tx.bucket(bucket, false)
	if b == nil {
		return nil, false
	}
	v, ok := b.values[key]
	return v, ok
}

func (tx *memoryTx) Put(bucket, key string, r Record) error {
	if !tx.writable {
		return errReadOnly
	}
	b := tx.bucket(bucket, true)
	previous, existed := b.values[key]
	tx.undo = append(tx.undo, undoEntry{bucket, key, previous, existed})
	b.set(key, r.Value)
	return nil
}

func (tx *memoryTx) Delete(bucket, key string) error {
	if !tx.writable {
		return errReadOnly
	}
	b := tx.bucket(bucket, false)
	if b == nil {
		return nil
	}
	previous, existed := b.values[key]
	if !existed {
		return nil
	}
	tx.undo = append(tx.undo, undoEntry{bucket, key, previous, existed})
	b.remove(key)
	return nil
}

func (tx *memoryTx) Scan(bucket, prefix string, fn func(key string, value any) bool) {
	b := tx.bucket(bucket, false)
	if b == nil {
		return
	}
	for i := sort.SearchStrings(b.keys, prefix); i < len(b.keys) && strings.HasPrefix(b.keys[i], prefix); i++ {
		if !fn(b.keys[i], b.values[b.keys[i]]) {
			return
		}
	}
}

func (tx *memoryTx) rollback() {
	for i := len(tx.undo) - 1; i >= 0; i-- {
		u := tx.undo[i]
		b := tx.bucket(u.bucket, true)
		if u.existed {
			b.set(u.key, u.previous)
		} else {
			b.remove(u.key)
		}
	}
	tx.undo = nil
}

func (b *memoryBucket) set(key string, value any) {
	if _, ok := b.values[key]; !ok {
		i, _ := slices.BinarySearch(b.keys, key)
		b.keys = slices.Insert(b.keys, i, key)
	}
	b.values[key] = value
}

func (b *memoryBucket) remove(key string) {
	if _, ok := b.values[key]; !ok {
		return
	}
	delete(b.values, key)
	if i, found := slices.BinarySearch(b.keys, key); found {
		b.keys = slices.Delete(b.keys, i, i+1)
	}
}
