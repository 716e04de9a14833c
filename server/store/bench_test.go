package store

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// backendsToMeasure are the two backends, in memory and in a data directory (--data-dir).
func backendsToMeasure(b *testing.B) map[string]func() (Backend, error) {
	return map[string]func() (Backend, error){
		"memory": func() (Backend, error) { return NewMemory(), nil },
		"bolt":   func() (Backend, error) { return OpenDataDir(b.TempDir()) },
	}
}

// BenchmarkBackendUpdate writes one record a transaction, in memory and in a data directory,
// where each commit syncs the file: the cost of durability for each write. It rewrites a thousand
// records, so that it measures commits rather than a growing index. BenchmarkFsync is its
// reference: what the disk takes to sync a write.
func BenchmarkBackendUpdate(b *testing.B) {
	value := raw(string(make([]byte, 600))) // about a project's record
	for name, open := range backendsToMeasure(b) {
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

// BenchmarkFsync writes a page to a file and syncs its data (fdatasync, as bbolt does), in the
// directory where BenchmarkBackendUpdate keeps its data directory: the least a durable write
// can cost on this disk.
func BenchmarkFsync(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "sync"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	page := make([]byte, 4096)
	for b.Loop() {
		if _, err := f.WriteAt(page, 0); err != nil {
			b.Fatal(err)
		}
		if err := fdatasync(f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBackendRead reads a project, as every request in it does, in memory and in a data
// directory: the same, as a data directory keeps its records in memory too.
func BenchmarkBackendRead(b *testing.B) {
	for name, open := range backendsToMeasure(b) {
		b.Run(name, func(b *testing.B) {
			backend, err := open()
			if err != nil {
				b.Fatal(err)
			}
			defer backend.Close()
			s := New(backend, time.Now)
			err = s.Update(func(tx *Tx) error {
				if _, err := tx.CreateOrg(orgID, "org"); err != nil {
					return err
				}
				_, err := tx.CreateProject(Project{ID: projectID, OrgID: orgID, Name: "project", Tags: []Tag{{"env", "test"}}})
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := s.View(func(tx *Tx) error { _, err := tx.Project(projectID); return err }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
