package auth

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNonces(t *testing.T) {
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	n := NewNonces(func() time.Time { return now })
	nonce := n.Issue()
	assert.Len(t, nonce, 32)
	assert.NotEqual(t, nonce, n.Issue())

	assert.Equal(t, NonceValid, n.Use(nonce, "00000001"))
	assert.Equal(t, NonceReplayed, n.Use(nonce, "00000001"), "a count cannot be used twice")
	assert.Equal(t, NonceValid, n.Use(nonce, "00000002"))
	assert.Equal(t, NonceReplayed, n.Use(nonce, "00000001"), "counts only go up")
	assert.Equal(t, NonceReplayed, n.Use(nonce, "1"), "a count has 8 hexadecimal digits")
	assert.Equal(t, NonceUnknown, n.Use("never-issued", "00000001"))

	noQop := n.Issue()
	assert.Equal(t, NonceValid, n.Use(noQop, ""))
	assert.Equal(t, NonceReplayed, n.Use(noQop, ""), "without counts a nonce works once")

	old := n.Issue()
	now = now.Add(NonceLifetime + time.Second)
	assert.Equal(t, NonceStale, n.Use(old, "00000001"))
	assert.Equal(t, NonceStale, n.Use(old, "00000002"), "an expired nonce stays stale, not unknown")
}

// TestNoncesInUseSurviveAFloodOfChallenges: sixteen clients use their nonces, then 120,000
// challenges go to unauthenticated requests; each client's next count still works, and the
// oldest unused nonces are the ones forgotten.
func TestNoncesInUseSurviveAFloodOfChallenges(t *testing.T) {
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	n := NewNonces(func() time.Time { return now })
	inUse := make([]string, 16)
	for i := range inUse {
		inUse[i] = n.Issue()
		require.Equal(t, NonceValid, n.Use(inUse[i], "00000001"))
	}
	firstFresh := n.Issue()
	for range 120_000 {
		n.Issue()
	}
	for _, nonce := range inUse {
		assert.Equal(t, NonceValid, n.Use(nonce, "00000002"), "a nonce in use is kept")
	}
	assert.Equal(t, NonceUnknown, n.Use(firstFresh, "00000001"), "the oldest unused nonce made room")
}

// TestUsedNoncesMakeRoomForUsedOnesOnly: past the bound of used nonces, the oldest used one is
// forgotten, and only then.
func TestUsedNoncesMakeRoomForUsedOnesOnly(t *testing.T) {
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	n := NewNonces(func() time.Time { return now })
	oldest := n.Issue()
	require.Equal(t, NonceValid, n.Use(oldest, ""))
	for range maxUsedNonces - 1 {
		require.Equal(t, NonceValid, n.Use(n.Issue(), ""))
	}
	assert.Equal(t, NonceReplayed, n.Use(oldest, ""), "still known with all used nonces in their bound")
	require.Equal(t, NonceValid, n.Use(n.Issue(), ""))
	assert.Equal(t, NonceUnknown, n.Use(oldest, ""), "forgotten for a newer used nonce")
}
