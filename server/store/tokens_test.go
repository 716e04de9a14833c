package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRevokingATokenDropsRevocationsThatHaveExpired(t *testing.T) {
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	s := New(NewMemory(), func() time.Time { return now })
	revoke(t, s, "expires-soon", now.Add(time.Minute))
	revoke(t, s, "expires-later", now.Add(time.Hour))

	now = now.Add(2 * time.Minute)
	revoke(t, s, "new", now.Add(time.Hour))
	assertRevoked(t, s, map[string]bool{"expires-soon": false, "expires-later": true, "new": true})
}

// TestRevokingATokenReadsNoOtherRevocations revokes a token after a thousand others that have
// not expired: the revoke reads none of them, where it used to read them all (BenchmarkRevokeToken
// measures it after ten thousand).
func TestRevokingATokenReadsNoOtherRevocations(t *testing.T) {
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	backend := &countingBackend{Backend: NewMemory()}
	s := New(backend, func() time.Time { return now })
	revokeMany(t, s, 1000, now.Add(time.Hour))

	backend.read = 0
	revoke(t, s, "one-more", now.Add(time.Hour))
	assert.LessOrEqual(t, backend.read, 2, "records read by one revoke")

	// An hour later they have all expired: the next revoke drops them, and reads only them.
	now = now.Add(time.Hour)
	backend.read = 0
	revoke(t, s, "later", now.Add(time.Hour))
	assert.LessOrEqual(t, backend.read, 1001+2)
	backend.read = 0
	revoke(t, s, "later still", now.Add(time.Hour))
	assert.LessOrEqual(t, backend.read, 2, "the expired revocations are gone")
	assertRevoked(t, s, map[string]bool{tokenID(0): false, "one-more": false, "later": true, "later still": true})
}

func TestRevokingATokenTwiceKeepsTheLaterExpiry(t *testing.T) {
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	s := New(NewMemory(), func() time.Time { return now })
	revoke(t, s, "twice", now.Add(time.Minute))
	revoke(t, s, "twice", now.Add(time.Hour))
	now = now.Add(2 * time.Minute)
	revoke(t, s, "other", now.Add(time.Hour))
	assertRevoked(t, s, map[string]bool{"twice": true})
}

func revoke(t *testing.T, s *Store, id string, expiresAt time.Time) {
	t.Helper()
	require.NoError(t, s.Update(func(tx *Tx) error { return tx.RevokeToken(id, expiresAt) }))
}

// assertRevoked checks whether each token id is revoked.
func assertRevoked(t *testing.T, s *Store, want map[string]bool) {
	t.Helper()
	require.NoError(t, s.View(func(tx *Tx) error {
		for id, revoked := range want {
			got, err := tx.TokenRevoked(id)
			require.NoError(t, err)
			assert.Equal(t, revoked, got, id)
		}
		return nil
	}))
}

// BenchmarkRevokeToken revokes a token after revoked others that have not expired: the time of
// a revoke does not grow with them. Token ids grow in time, as ObjectIds do.
func BenchmarkRevokeToken(b *testing.B) {
	for _, before := range []int{0, 10_000} {
		b.Run(fmt.Sprintf("after=%d", before), func(b *testing.B) {
			now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
			s := New(NewMemory(), func() time.Time { return now })
			revokeMany(b, s, before, now.Add(time.Hour))
			b.ReportAllocs()
			next := before
			for b.Loop() {
				id := tokenID(next)
				next++
				if err := s.Update(func(tx *Tx) error { return tx.RevokeToken(id, now.Add(time.Hour)) }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// revokeMany revokes n tokens, tokenID(0) to tokenID(n-1), that expire at expiresAt.
func revokeMany(t testing.TB, s *Store, n int, expiresAt time.Time) {
	t.Helper()
	for i := range n {
		if err := s.Update(func(tx *Tx) error { return tx.RevokeToken(tokenID(i), expiresAt) }); err != nil {
			t.Fatal(err)
		}
	}
}

// tokenID is the id of the i-th token; ids sort in the order of i.
func tokenID(i int) string { return fmt.Sprintf("token-%010d", i) }

// countingBackend counts the records that transactions read, by Get or Scan.
type countingBackend struct {
	Backend
	read int
}

func (c *countingBackend) View(fn func(RawTx) error) error {
	return c.Backend.View(func(raw RawTx) error { return fn(countingTx{raw, &c.read}) })
}

func (c *countingBackend) Update(fn func(RawTx) error) error {
	return c.Backend.Update(func(raw RawTx) error { return fn(countingTx{raw, &c.read}) })
}

type countingTx struct {
	RawTx
	read *int
}

func (c countingTx) Get(bucket, key string) (any, bool) {
	*c.read++
	return c.RawTx.Get(bucket, key)
}

func (c countingTx) Scan(bucket, prefix string, fn func(key string, value any) bool) {
	c.RawTx.Scan(bucket, prefix, func(key string, value any) bool {
		*c.read++
		return fn(key, value)
	})
}
