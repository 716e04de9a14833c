package auth

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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
