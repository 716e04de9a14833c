//go:build linux

package store

import (
	"os"
	"syscall"
)

// fdatasync syncs a file's data as bbolt does on Linux.
func fdatasync(f *os.File) error { return syscall.Fdatasync(int(f.Fd())) }
