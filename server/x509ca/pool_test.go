package x509ca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeyPoolRefillsInTheBackground(t *testing.T) {
	p := NewKeyPool(ECDSAP256, 3)
	t.Cleanup(p.Close)
	require.Eventually(t, func() bool { return p.Ready() == 3 }, 10*time.Second, time.Millisecond)
	seen := map[crypto.Signer]bool{}
	for range 3 {
		key, err := p.Get()
		require.NoError(t, err)
		require.IsType(t, &ecdsa.PrivateKey{}, key)
		assert.Equal(t, elliptic.P256(), key.(*ecdsa.PrivateKey).Curve)
		seen[key] = true
	}
	assert.Len(t, seen, 3, "every key is handed out once")
	assert.Eventually(t, func() bool { return p.Ready() == 3 }, 10*time.Second, time.Millisecond, "the pool fills up again")
}

func TestKeyPoolWithoutKeysGeneratesOnRequest(t *testing.T) {
	p := NewKeyPool(ECDSAP256, 0)
	t.Cleanup(p.Close)
	key, err := p.Get()
	require.NoError(t, err)
	require.IsType(t, &ecdsa.PrivateKey{}, key)
	assert.Equal(t, elliptic.P256(), key.(*ecdsa.PrivateKey).Curve)
	assert.Zero(t, p.Ready(), "a pool of size zero keeps no keys ahead")
}

// blockingGenerator generates keys, except for the first call, which waits until release is
// closed: a background refill stuck in a long RSA-4096 generation.
type blockingGenerator struct {
	calls   atomic.Int32
	release chan struct{}
}

func (g *blockingGenerator) generate() (crypto.Signer, error) {
	if g.calls.Add(1) == 1 {
		<-g.release
	}
	return ECDSAP256.Generate()
}

func TestKeyPoolThatRunsDryDoesNotWaitForTheRefill(t *testing.T) {
	g := &blockingGenerator{release: make(chan struct{})}
	p := newKeyPool(ECDSAP256, 2, g.generate)
	t.Cleanup(func() { close(g.release); p.Close() })
	require.Eventually(t, func() bool { return g.calls.Load() == 1 }, 10*time.Second, time.Millisecond, "the refill started")

	key, err := p.Get()
	require.NoError(t, err)
	assert.NotNil(t, key)
	assert.Equal(t, int32(2), g.calls.Load(), "Get generated its own key")
}

func TestKeyPoolCloseDoesNotWaitForTheKeyBeingGenerated(t *testing.T) {
	g := &blockingGenerator{release: make(chan struct{})}
	p := newKeyPool(ECDSAP256, 2, g.generate)
	require.Eventually(t, func() bool { return g.calls.Load() == 1 }, 10*time.Second, time.Millisecond, "the refill started")

	closed := make(chan struct{})
	go func() {
		p.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waits for the key being generated")
	}

	close(g.release) // the generation in flight ends after Close
	assert.Never(t, func() bool { return p.Ready() > 0 || g.calls.Load() > 1 }, 200*time.Millisecond, 5*time.Millisecond,
		"after Close the refill drops its key and generates no other")
	key, err := p.Get()
	require.NoError(t, err, "Get works after Close")
	assert.NotNil(t, key)
}
