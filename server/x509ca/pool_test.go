package x509ca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/store"
)

func newStore() *store.Store { return store.New(store.NewMemory(), time.Now) }

func startPool(t *testing.T, keyType KeyType, size int, s *store.Store, generate func() (crypto.Signer, error)) *KeyPool {
	t.Helper()
	p, err := newKeyPool(keyType, size, s, generate)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	return p
}

func TestKeyPoolRefillsInTheBackground(t *testing.T) {
	p := startPool(t, ECDSAP256, 3, newStore(), ECDSAP256.Generate)
	require.Eventually(t, func() bool { return p.Ready() == 3 }, 10*time.Second, time.Millisecond)
	seen := map[crypto.Signer]bool{}
	for range 3 {
		key, err := p.Get()
		require.NoError(t, err)
		require.IsType(t, &ecdsa.PrivateKey{}, key.Signer)
		assert.Equal(t, elliptic.P256(), key.Signer.(*ecdsa.PrivateKey).Curve)
		seen[key.Signer] = true
	}
	assert.Len(t, seen, 3, "every key is handed out once")
	assert.Eventually(t, func() bool { return p.Ready() == 3 }, 10*time.Second, time.Millisecond, "the pool fills up again")
}

func TestKeyPoolWithoutKeysGeneratesOnRequest(t *testing.T) {
	p := startPool(t, ECDSAP256, 0, newStore(), ECDSAP256.Generate)
	key, err := p.Get()
	require.NoError(t, err)
	require.IsType(t, &ecdsa.PrivateKey{}, key.Signer)
	assert.Empty(t, key.pooled, "a key generated on request is not in the store")
	assert.Zero(t, p.Ready(), "a pool of size zero keeps no keys ahead")
}

// TestKeyPoolStartsWithTheKeysTheStoreKept stops a pool and starts another over the same store,
// with a generator that cannot generate: the new pool hands out the keys the first one left,
// except those spent, and drops the keys of another type.
func TestKeyPoolStartsWithTheKeysTheStoreKept(t *testing.T) {
	s := newStore()
	// Three keys, then a refill that waits until the test ends: the store holds exactly three.
	var generated atomic.Int32
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	three := func() (crypto.Signer, error) {
		if generated.Add(1) > 3 {
			<-done
			return nil, errors.New("the test is over")
		}
		return ECDSAP256.Generate()
	}
	first := startPool(t, ECDSAP256, 3, s, three)
	require.Eventually(t, func() bool { return first.Ready() == 3 }, 10*time.Second, time.Millisecond)
	first.Close()
	spent, err := first.Get()
	require.NoError(t, err)
	require.NoError(t, s.Update(spent.spend))
	left := map[string]bool{}
	for first.Ready() > 0 {
		key, err := first.Get()
		require.NoError(t, err)
		left[key.pooled] = true
	}

	cannot := func() (crypto.Signer, error) { return nil, errors.New("no generation in this test") }
	second := startPool(t, ECDSAP256, 3, s, cannot)
	assert.Equal(t, 2, second.Ready(), "the pool starts warm")
	for range 2 {
		key, err := second.Get()
		require.NoError(t, err)
		assert.True(t, left[key.pooled], "a key the first pool kept and never spent")
		assert.NotEqual(t, spent.pooled, key.pooled, "a spent key is never handed out again")
	}

	third := startPool(t, RSA2048, 3, s, cannot)
	assert.Zero(t, third.Ready(), "keys of another type are not handed out")
	kept, err := store.Read(s, func(tx *store.Tx) ([]store.PooledKey, error) { return tx.PooledKeys() })
	require.NoError(t, err)
	assert.Empty(t, kept, "and are dropped from the store")
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
	p := startPool(t, ECDSAP256, 2, newStore(), g.generate)
	t.Cleanup(func() { close(g.release) })
	require.Eventually(t, func() bool { return g.calls.Load() == 1 }, 10*time.Second, time.Millisecond, "the refill started")

	key, err := p.Get()
	require.NoError(t, err)
	assert.NotNil(t, key.Signer)
	assert.Equal(t, int32(2), g.calls.Load(), "Get generated its own key")
}

func TestKeyPoolCloseDoesNotWaitForTheKeyBeingGenerated(t *testing.T) {
	g := &blockingGenerator{release: make(chan struct{})}
	p, err := newKeyPool(ECDSAP256, 2, newStore(), g.generate)
	require.NoError(t, err)
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
	assert.NotNil(t, key.Signer)
}
