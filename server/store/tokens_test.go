package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRevokingATokenDropsRevocationsThatHaveExpired(t *testing.T) {
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	s := New(NewMemory(), func() time.Time { return now })
	require.NoError(t, s.Update(func(tx *Tx) error {
		require.NoError(t, tx.RevokeToken("expires-soon", now.Add(time.Minute)))
		return tx.RevokeToken("expires-later", now.Add(time.Hour))
	}))

	now = now.Add(2 * time.Minute)
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.RevokeToken("new", now.Add(time.Hour)) }))

	require.NoError(t, s.View(func(tx *Tx) error {
		for id, want := range map[string]bool{"expires-soon": false, "expires-later": true, "new": true} {
			revoked, err := tx.TokenRevoked(id)
			require.NoError(t, err)
			assert.Equal(t, want, revoked, id)
		}
		return nil
	}))
}
