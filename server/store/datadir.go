package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// FormatVersion is the version of the records' encoding, which the state file and snapshots
// carry. A reader refuses a newer version rather than guess at it.
const FormatVersion = 1

// The files of a data directory.
const (
	stateFileName = "atlasstub.db"
	pidFileName   = "atlasstub.pid"
)

// lockTimeout is how long OpenDataDir waits for another process to release the state file
// before it reports who holds it.
const lockTimeout = time.Second

// The file's own bucket, beside the records' buckets.
var (
	metaBucket       = []byte("atlasstub")
	formatVersionKey = []byte("formatVersion")
)

// DataDirInUseError reports that another process holds the state file of a data directory.
type DataDirInUseError struct {
	Dir string
	// PID is the process that wrote its id beside the file on taking it; 0 when unknown.
	PID int
}

func (e *DataDirInUseError) Error() string {
	holder := "another process"
	if e.PID > 0 {
		holder = "process " + strconv.Itoa(e.PID)
	}
	return fmt.Sprintf("the data directory %s is in use by %s: stop it, or give this stub a directory of its own", e.Dir, holder)
}

// DamagedStateError reports a state file that cannot be read as a whole. The file is left as it
// is: nothing replaces a damaged state with an empty one.
type DamagedStateError struct {
	Path string
	Err  error
}

func (e *DamagedStateError) Error() string {
	return fmt.Sprintf("the state file %s is damaged (%v); it is left untouched: move it away to start afresh, or start from a snapshot", e.Path, e.Err)
}

func (e *DamagedStateError) Unwrap() error { return e.Err }

// OpenDataDir opens the durable state of a data directory, creating the directory (readable by
// its owner only: the state holds the projects' CA keys) and an empty state file on first use.
// It fails with a DataDirInUseError when another process has the directory, within a second
// rather than waiting for it; with a DamagedStateError when the file is not a whole bbolt file;
// and when the file's format version is newer than FormatVersion.
func OpenDataDir(dir string) (*Bolt, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	db, memory, err := openStateFile(filepath.Join(dir, stateFileName))
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, &DataDirInUseError{Dir: dir, PID: readPID(filepath.Join(dir, pidFileName))}
	}
	if err != nil {
		return nil, err
	}
	pidFile := filepath.Join(dir, pidFileName)
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600); err != nil {
		_ = db.Close()
		return nil, err
	}
	return &Bolt{db: db, memory: memory, pidFile: pidFile}, nil
}

// openStateFile opens the state file and checks it. bbolt panics on some damaged files, and
// reading a page of its memory map that lies past the end of a cut file faults: both are
// reported as a DamagedStateError, and the file is closed, which releases its lock. It returns
// the file and its records, decoded in memory.
func openStateFile(path string) (db *bolt.DB, memory *Memory, err error) {
	var file *os.File
	options := &bolt.Options{Timeout: lockTimeout, OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
		f, openErr := os.OpenFile(name, flag, perm)
		file = f
		return f, openErr
	}}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if db != nil {
				_ = db.Close()
			} else if file != nil {
				_ = file.Close()
			}
			db, memory, err = nil, nil, &DamagedStateError{Path: path, Err: fmt.Errorf("%v", r)}
		}
	}()
	db, err = bolt.Open(path, 0o600, options)
	var pathErr *os.PathError
	if err != nil && !errors.Is(err, berrors.ErrTimeout) && !errors.As(err, &pathErr) {
		err = &DamagedStateError{Path: path, Err: err}
	}
	if err != nil {
		return nil, nil, err
	}
	if err := checkStateFile(db, path); err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	if memory, err = loadRecords(db, path); err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	return db, memory, nil
}

// loadRecords decodes every record of the file into memory, where the Bolt backend reads them.
// A record that does not decode is damage.
func loadRecords(db *bolt.DB, path string) (*Memory, error) {
	memory := NewMemory()
	err := db.View(func(file *bolt.Tx) error {
		return memory.Update(func(tx RawTx) error {
			return file.ForEach(func(name []byte, b *bolt.Bucket) error {
				if bytes.Equal(name, metaBucket) {
					return nil
				}
				bucket := string(name)
				return b.ForEach(func(k, v []byte) error {
					value, err := decodeRecord(bucket, v)
					if err != nil {
						return &DamagedStateError{Path: path, Err: fmt.Errorf("the record %s/%s does not decode: %w", bucket, k, err)}
					}
					return tx.Put(bucket, string(k), Record{Value: value})
				})
			})
		})
	})
	return memory, err
}

// checkStateFile checks that the file is whole and of a format this stub reads, and gives a
// new file its format version.
func checkStateFile(db *bolt.DB, path string) error {
	if err := checkConsistency(db, path); err != nil {
		return err
	}
	var versioned bool
	err := db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(metaBucket)
		if meta == nil {
			if !isEmpty(tx) {
				return &DamagedStateError{Path: path, Err: errors.New("it holds records but no format version; is it another program's bbolt file?")}
			}
			return nil
		}
		versioned = true
		version, err := strconv.Atoi(string(meta.Get(formatVersionKey)))
		if err != nil || version < 1 {
			return &DamagedStateError{Path: path, Err: fmt.Errorf("unreadable format version %q", meta.Get(formatVersionKey))}
		}
		if version > FormatVersion {
			return fmt.Errorf("the state file %s has format version %d, and this atlasstub reads version %d at most: run the newer atlasstub that wrote it", path, version, FormatVersion)
		}
		return nil
	})
	if err != nil || versioned {
		return err
	}
	return db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucket(metaBucket)
		if err != nil {
			return err
		}
		return meta.Put(formatVersionKey, []byte(strconv.Itoa(FormatVersion)))
	})
}

// checkConsistency reads every record of the file, and then has bbolt check its pages: that
// every page is used once, or free, and that keys are in order. The reading comes first, on the
// goroutine that turns faults into panics: bbolt's check runs on a goroutine of its own, where
// reading a page past the end of the file would crash the process.
func checkConsistency(db *bolt.DB, path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	return db.View(func(tx *bolt.Tx) error {
		if tx.Size() > info.Size() {
			return &DamagedStateError{Path: path, Err: fmt.Errorf("it claims %d bytes but holds %d", tx.Size(), info.Size())}
		}
		readEveryRecord(tx)
		var problems []string
		for err := range tx.Check() {
			problems = append(problems, err.Error())
		}
		if len(problems) > 0 {
			return &DamagedStateError{Path: path, Err: errors.New(strings.Join(problems, "; "))}
		}
		return nil
	})
}

// readEveryRecord reads every key and value of the file, so that a damaged page panics or
// faults here.
func readEveryRecord(tx *bolt.Tx) {
	var sum byte
	_ = tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			for _, c := range k {
				sum ^= c
			}
			for _, c := range v {
				sum ^= c
			}
			return nil
		})
	})
	runtime.KeepAlive(sum)
}

// isEmpty reports whether a file holds no bucket at all: a new file, or one whose first
// transaction never committed.
func isEmpty(tx *bolt.Tx) bool {
	empty := true
	_ = tx.ForEach(func([]byte, *bolt.Bucket) error {
		empty = false
		return errors.New("stop")
	})
	return empty
}

// readPID reads the process id that the holder of a data directory wrote; 0 when it cannot.
func readPID(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}
