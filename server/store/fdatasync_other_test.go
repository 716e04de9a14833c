//go:build !linux

package store

import "os"

// fdatasync syncs a file as bbolt does outside Linux, with fsync.
func fdatasync(f *os.File) error { return f.Sync() }
