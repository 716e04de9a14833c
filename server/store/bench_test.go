package store

import (
	"strconv"
	"testing"
)

// BenchmarkBackendUpdate writes one record a transaction, in memory and in a data directory,
// where each commit syncs the file: the cost of durability for each write. It rewrites a thousand
// records, so that it measures commits rather than a growing index.
func BenchmarkBackendUpdate(b *testing.B) {
	value := raw(string(make([]byte, 600))) // about a project's record
	for name, open := range map[string]func() (Backend, error){
		"memory": func() (Backend, error) { return NewMemory(), nil },
		"bolt":   func() (Backend, error) { return OpenDataDir(b.TempDir()) },
	} {
		b.Run(name, func(b *testing.B) {
			backend, err := open()
			if err != nil {
				b.Fatal(err)
			}
			defer backend.Close()
			i := 0
			for b.Loop() {
				i++
				if err := backend.Update(func(tx RawTx) error { return tx.Put("t", strconv.Itoa(i%1000), value) }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
