package store

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMemoryScanIsOrderedAndPrefixed(t *testing.T) {
	m := NewMemory()
	require.NoError(t, m.Update(func(tx RawTx) error {
		for _, k := range []string{"b/2", "a/1", "b/1", "c/1", "b/10"} {
			require.NoError(t, tx.Put("t", k, []byte(k)))
		}
		return nil
	}))
	var keys []string
	require.NoError(t, m.View(func(tx RawTx) error {
		tx.Scan("t", "b/", func(key string, value []byte) bool {
			assert.Equal(t, key, string(value))
			keys = append(keys, key)
			return true
		})
		return nil
	}))
	assert.Equal(t, []string{"b/1", "b/10", "b/2"}, keys)
}

func TestMemoryUpdateRollsBackOnError(t *testing.T) {
	m := NewMemory()
	require.NoError(t, m.Update(func(tx RawTx) error { return tx.Put("t", "kept", []byte("1")) }))
	failure := errors.New("rule broken")
	err := m.Update(func(tx RawTx) error {
		require.NoError(t, tx.Put("t", "kept", []byte("changed")))
		require.NoError(t, tx.Put("t", "new", []byte("2")))
		require.NoError(t, tx.Delete("t", "kept"))
		_, ok := tx.Get("t", "new")
		assert.True(t, ok, "a transaction sees its own writes")
		return failure
	})
	assert.ErrorIs(t, err, failure)
	require.NoError(t, m.View(func(tx RawTx) error {
		v, ok := tx.Get("t", "kept")
		assert.True(t, ok)
		assert.Equal(t, "1", string(v))
		_, ok = tx.Get("t", "new")
		assert.False(t, ok)
		var n int
		tx.Scan("t", "", func(string, []byte) bool { n++; return true })
		assert.Equal(t, 1, n, "the key index is rolled back too")
		return nil
	}))
}

func TestMemoryViewIsReadOnly(t *testing.T) {
	m := NewMemory()
	err := m.View(func(tx RawTx) error { return tx.Put("t", "k", nil) })
	assert.ErrorIs(t, err, errReadOnly)
}

func TestKeysOfUsernamesWithSlashesDoNotCollide(t *testing.T) {
	assert.False(t, strings.HasPrefix(key("p", "a/b"), prefix("p", "a")), "the key of user a/b must not start with the prefix of user a")
}
