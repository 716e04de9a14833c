package store

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

func TestDataDirKeepsWhatWasCommitted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	b, err := OpenDataDir(dir)
	require.NoError(t, err)
	require.NoError(t, b.Update(func(tx RawTx) error { return tx.Put("t", "k", raw("v")) }))
	require.NoError(t, b.Close())

	info, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), info.Mode().Perm(), "the directory holds the CAs' keys")
	info, err = os.Stat(filepath.Join(dir, stateFileName))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	assert.NoFileExists(t, filepath.Join(dir, pidFileName), "a stub that closes leaves no process id behind")

	b, err = OpenDataDir(dir)
	require.NoError(t, err)
	defer b.Close()
	require.NoError(t, b.View(func(tx RawTx) error {
		v, ok := tx.Get("t", "k")
		assert.True(t, ok)
		assert.Equal(t, raw("v").Value, v, "a bucket that no table owns keeps its records undecoded")
		return nil
	}))
}

func TestDataDirInUseNamesItsHolder(t *testing.T) {
	dir := t.TempDir()
	b, err := OpenDataDir(dir)
	require.NoError(t, err)
	defer b.Close()
	pid, err := os.ReadFile(filepath.Join(dir, pidFileName))
	require.NoError(t, err)
	assert.Equal(t, strconv.Itoa(os.Getpid())+"\n", string(pid))

	_, err = OpenDataDir(dir)
	var inUse *DataDirInUseError
	require.ErrorAs(t, err, &inUse)
	assert.Equal(t, os.Getpid(), inUse.PID)
	assert.Contains(t, err.Error(), "process "+strconv.Itoa(os.Getpid()))
	assert.Contains(t, err.Error(), dir)
}

func TestDataDirRefusesANewerFormat(t *testing.T) {
	dir := t.TempDir()
	b, err := OpenDataDir(dir)
	require.NoError(t, err)
	require.NoError(t, b.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(metaBucket).Put(formatVersionKey, []byte(strconv.Itoa(FormatVersion+1)))
	}))
	require.NoError(t, b.Close())
	before := readFile(t, filepath.Join(dir, stateFileName))

	_, err = OpenDataDir(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "format version "+strconv.Itoa(FormatVersion+1))
	assert.Contains(t, err.Error(), "newer atlasstub")
	assert.Equal(t, before, readFile(t, filepath.Join(dir, stateFileName)), "the file is left as it was")
}

func TestDataDirRefusesAnotherProgramsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, stateFileName)
	db, err := bolt.Open(path, 0o600, nil)
	require.NoError(t, err)
	require.NoError(t, db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("theirs"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("v"))
	}))
	require.NoError(t, db.Close())

	_, err = OpenDataDir(dir)
	var damaged *DamagedStateError
	require.ErrorAs(t, err, &damaged)
	assert.Contains(t, err.Error(), "no format version")
}

// TestDataDirReportsADamagedFile damages a state file in the ways a disk or a careless copy
// does. Each is reported as damaged, and the file is never replaced by an empty state.
func TestDataDirReportsADamagedFile(t *testing.T) {
	// Each damage gets the file and the page of its records' root.
	for name, damage := range map[string]func(b []byte, root int) []byte{
		"garbage":           func(b []byte, _ int) []byte { return bytes.Repeat([]byte("not a bbolt file "), len(b)/17) },
		"cut to one page":   func(b []byte, _ int) []byte { return b[:4096] },
		"cut in half":       func(b []byte, _ int) []byte { return b[:len(b)/2] },
		"a few bytes left":  func(b []byte, _ int) []byte { return b[:100] },
		"both meta pages":   func(b []byte, _ int) []byte { return zero(zero(b, 16, 64), 4096+16, 64) },
		"all but the meta":  func(b []byte, _ int) []byte { return zero(b, 2*4096, len(b)-2*4096) },
		"a page of records": func(b []byte, root int) []byte { return zero(b, root*4096, 16) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, stateFileName)
			root := writeStateFile(t, dir)
			damaged := damage(readFile(t, path), root)
			require.NoError(t, os.WriteFile(path, damaged, 0o600))

			_, err := OpenDataDir(dir)
			var de *DamagedStateError
			require.ErrorAs(t, err, &de)
			assert.Contains(t, err.Error(), path)
			assert.Contains(t, err.Error(), "left untouched")
			assert.Equal(t, damaged, readFile(t, path), "the damaged file is left as it was")
			t.Log(err)
		})
	}
}

// writeStateFile fills a data directory with a few pages of records, and returns the page of
// their bucket's root.
func writeStateFile(t testing.TB, dir string) int {
	t.Helper()
	b, err := OpenDataDir(dir)
	require.NoError(t, err)
	for i := range 24 {
		require.NoError(t, b.Update(func(tx RawTx) error {
			return tx.Put("records", strconv.Itoa(i), raw(string(bytes.Repeat([]byte{byte(i)}, 500))))
		}))
	}
	var root int
	require.NoError(t, b.db.View(func(tx *bolt.Tx) error {
		root = int(tx.Bucket([]byte("records")).Root())
		return nil
	}))
	require.NoError(t, b.Close())
	require.Equal(t, 4096, os.Getpagesize(), "the damage below assumes 4 KiB pages")
	return root
}

func zero(b []byte, at, n int) []byte {
	out := bytes.Clone(b)
	clear(out[at : at+n])
	return out
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}

// FuzzDataDirOpensOrReportsDamage changes bytes of a state file at random: opening it either
// works, and then every record reads, or reports the file as damaged, and releases it. It never
// panics, crashes or hangs, and never changes the file.
func FuzzDataDirOpensOrReportsDamage(f *testing.F) {
	dir := f.TempDir()
	writeStateFile(f, dir)
	path := filepath.Join(dir, stateFileName)
	original, err := os.ReadFile(path)
	require.NoError(f, err)
	f.Add(uint32(0), []byte{0xff})
	f.Add(uint32(4096+20), []byte{1, 2, 3, 4})
	f.Add(uint32(len(original)-100), []byte("damage"))
	f.Fuzz(func(t *testing.T, at uint32, patch []byte) {
		damaged := bytes.Clone(original)
		offset := int(at % uint32(len(damaged)))
		copy(damaged[offset:], patch)
		// Every input reuses the file: an open that failed must have let go of it.
		require.NoError(t, os.WriteFile(path, damaged, 0o600))

		b, err := OpenDataDir(dir)
		if err != nil {
			var de *DamagedStateError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, damaged, readFile(t, path), "a damaged file is left as it was")
			return
		}
		defer b.Close()
		require.NoError(t, b.View(func(tx RawTx) error {
			tx.Scan("records", "", func(string, any) bool { return true })
			return nil
		}))
	})
}

// TestBoltCommitsOnlyWhatWrites: an Update that writes nothing commits nothing, so it costs no
// sync of the file; one that writes commits.
func TestBoltCommitsOnlyWhatWrites(t *testing.T) {
	b, err := OpenDataDir(t.TempDir())
	require.NoError(t, err)
	defer b.Close()
	committed := func() int {
		var id int
		require.NoError(t, b.db.View(func(tx *bolt.Tx) error { id = tx.ID(); return nil }))
		return id
	}
	before := committed()
	require.NoError(t, b.Update(func(tx RawTx) error { _, _ = tx.Get("t", "k"); return nil }))
	assert.Equal(t, before, committed(), "a read-only Update commits nothing")
	require.NoError(t, b.Update(func(tx RawTx) error { return tx.Put("t", "k", raw("v")) }))
	assert.Equal(t, before+1, committed())
}
