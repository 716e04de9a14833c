package store

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// backends runs a test against each Backend: in memory and in a data directory.
func backends(t *testing.T, test func(t *testing.T, b Backend)) {
	t.Run("memory", func(t *testing.T) { test(t, NewMemory()) })
	t.Run("bolt", func(t *testing.T) {
		b, err := OpenDataDir(t.TempDir())
		require.NoError(t, err)
		t.Cleanup(func() { assert.NoError(t, b.Close()) })
		test(t, b)
	})
}

// raw is a record of a bucket that no table owns, as a data directory reads it back.
func raw(s string) Record { return Record{Value: Undecoded(s), JSON: []byte(s)} }

func TestBackendScanIsOrderedAndPrefixed(t *testing.T) {
	backends(t, func(t *testing.T, b Backend) {
		require.NoError(t, b.Update(func(tx RawTx) error {
			for _, k := range []string{"b/2", "a/1", "b/1", "c/1", "b/10"} {
				require.NoError(t, tx.Put("t", k, raw(k)))
			}
			return nil
		}))
		var keys []string
		require.NoError(t, b.View(func(tx RawTx) error {
			tx.Scan("t", "b/", func(key string, value any) bool {
				assert.Equal(t, raw(key).Value, value)
				keys = append(keys, key)
				return true
			})
			tx.Scan("missing", "", func(string, any) bool { t.Error("a missing bucket has no records"); return true })
			return nil
		}))
		assert.Equal(t, []string{"b/1", "b/10", "b/2"}, keys)
	})
}

func TestBackendUpdateRollsBackOnError(t *testing.T) {
	backends(t, func(t *testing.T, b Backend) {
		require.NoError(t, b.Update(func(tx RawTx) error { return tx.Put("t", "kept", raw("1")) }))
		failure := errors.New("rule broken")
		err := b.Update(func(tx RawTx) error {
			require.NoError(t, tx.Put("t", "kept", raw("changed")))
			require.NoError(t, tx.Put("t", "new", raw("2")))
			require.NoError(t, tx.Put("other", "new", raw("3")))
			require.NoError(t, tx.Delete("t", "kept"))
			_, ok := tx.Get("t", "new")
			assert.True(t, ok, "a transaction sees its own writes")
			return failure
		})
		assert.ErrorIs(t, err, failure)
		assertOnlyKept(t, b)
	})
}

func TestBackendUpdateRollsBackOnPanic(t *testing.T) {
	backends(t, func(t *testing.T, b Backend) {
		require.NoError(t, b.Update(func(tx RawTx) error { return tx.Put("t", "kept", raw("1")) }))
		assert.Panics(t, func() {
			_ = b.Update(func(tx RawTx) error {
				require.NoError(t, tx.Put("t", "kept", raw("changed")))
				require.NoError(t, tx.Put("t", "new", raw("2")))
				panic("a bug in a rule")
			})
		})
		assertOnlyKept(t, b)
		require.NoError(t, b.Update(func(tx RawTx) error { return tx.Put("t", "after", raw("3")) }), "the backend works after a panic")
	})
}

// assertOnlyKept checks that the backend holds t/kept = 1 and nothing else of the rolled-back
// transactions.
func assertOnlyKept(t *testing.T, b Backend) {
	t.Helper()
	require.NoError(t, b.View(func(tx RawTx) error {
		v, ok := tx.Get("t", "kept")
		assert.True(t, ok)
		assert.Equal(t, raw("1").Value, v)
		_, ok = tx.Get("t", "new")
		assert.False(t, ok)
		_, ok = tx.Get("other", "new")
		assert.False(t, ok)
		var n int
		tx.Scan("t", "", func(string, any) bool { n++; return true })
		assert.Equal(t, 1, n, "the key index is rolled back too")
		return nil
	}))
}

func TestBackendViewIsReadOnly(t *testing.T) {
	backends(t, func(t *testing.T, b Backend) {
		assert.ErrorIs(t, b.View(func(tx RawTx) error { return tx.Put("t", "k", raw("")) }), errReadOnly)
		assert.ErrorIs(t, b.View(func(tx RawTx) error { return tx.Delete("t", "k") }), errReadOnly)
	})
}

func TestKeysOfUsernamesWithSlashesDoNotCollide(t *testing.T) {
	assert.False(t, strings.HasPrefix(key("p", "a/b"), prefix("p", "a")), "the key of user a/b must not start with the prefix of user a")
}

func TestBackendUpdateScansItsOwnWrites(t *testing.T) {
	backends(t, func(t *testing.T, b Backend) {
		require.NoError(t, b.Update(func(tx RawTx) error {
			for _, k := range []string{"a/1", "a/3", "a/5", "b/1"} {
				require.NoError(t, tx.Put("t", k, raw("old "+k)))
			}
			return nil
		}))
		require.NoError(t, b.Update(func(tx RawTx) error {
			require.NoError(t, tx.Put("t", "a/0", raw("new a/0")))
			require.NoError(t, tx.Put("t", "a/3", raw("new a/3")))
			require.NoError(t, tx.Delete("t", "a/5"))
			require.NoError(t, tx.Put("t", "a/6", raw("new a/6")))
			require.NoError(t, tx.Put("t", "b/0", raw("new b/0")))
			var seen []string
			tx.Scan("t", "a/", func(key string, value any) bool {
				seen = append(seen, string(value.(Undecoded)))
				return true
			})
			assert.Equal(t, []string{"new a/0", "old a/1", "new a/3", "new a/6"}, seen)
			seen = nil
			tx.Scan("t", "a/", func(key string, _ any) bool {
				seen = append(seen, key)
				return len(seen) < 2
			})
			assert.Equal(t, []string{"a/0", "a/1"}, seen, "a scan stops when told")
			return nil
		}))
	})
}

// TestBoltReadersDoNotWaitForAnUpdate: while an Update runs (and syncs), a reader sees the last
// committed state, at once; it sees the Update's writes once the Update returned.
func TestBoltReadersDoNotWaitForAnUpdate(t *testing.T) {
	b, err := OpenDataDir(t.TempDir())
	require.NoError(t, err)
	defer b.Close()
	require.NoError(t, b.Update(func(tx RawTx) error { return tx.Put("t", "k", raw("committed")) }))
	read := func() any {
		var v any
		require.NoError(t, b.View(func(tx RawTx) error { v, _ = tx.Get("t", "k"); return nil }))
		return v
	}
	require.NoError(t, b.Update(func(tx RawTx) error {
		require.NoError(t, tx.Put("t", "k", raw("pending")))
		assert.Equal(t, raw("committed").Value, read(), "a reader in the middle of an Update")
		return nil
	}))
	assert.Equal(t, raw("pending").Value, read())
}
