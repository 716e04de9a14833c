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

func startPool(t *testing.T, keyType KeyType, size int, s *store.Store, generate func() (crypto.Signer, error), generators int) *KeyPool {
	t.Helper()
	p, err := newKeyPool(keyType, size, s, generate, generators)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	p.Start()
	return p
}

func keptKeys(t *testing.T, s *store.Store) []store.PooledKey {
	t.Helper()
	kept, err := store.Read(s, func(tx *store.Tx) ([]store.PooledKey, error) { return tx.PooledKeys() })
	require.NoError(t, err)
	return kept
}

func TestKeyPoolRefillsInTheBackground(t *testing.T) {
	s := newStore()
	p := startPool(t, ECDSAP256, 3, s, ECDSAP256.Generate, 2)
	require.Eventually(t, func() bool { return p.Ready() == 3 }, 10*time.Second, time.Millisecond)
	assert.Len(t, keptKeys(t, s), 3, "each key waits in the store")
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

func TestKeyPoolGeneratesOnlyOnceStartedOrAskedFor(t *testing.T) {
	g := newHeldGenerator(t)
	p, err := newKeyPool(ECDSAP256, 2, newStore(), g.generate, 2)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	assert.Never(t, func() bool { return g.calls.Load() > 0 }, 100*time.Millisecond, time.Millisecond, "no generation before Start")

	got := make(chan Key)
	go func() {
		key, err := p.Get()
		assert.NoError(t, err)
		got <- key
	}()
	g.release <- struct{}{}
	assert.NotNil(t, (<-got).Signer, "the first Get starts the generators")
}

func TestKeyPoolWithoutKeysGeneratesOnRequest(t *testing.T) {
	s := newStore()
	p := startPool(t, ECDSAP256, 0, s, ECDSAP256.Generate, 2)
	key, err := p.Get()
	require.NoError(t, err)
	require.IsType(t, &ecdsa.PrivateKey{}, key.Signer)
	assert.Empty(t, key.pooled, "a key handed straight to its request is not kept")
	assert.Empty(t, keptKeys(t, s))
	assert.Zero(t, p.Ready(), "a pool of size zero keeps no keys ahead")
	assert.Zero(t, p.Target(), "and does not grow")
}

// TestKeyPoolStartsWithTheKeysTheStoreKept stops a pool and starts another over the same store,
// with a generator that cannot generate: the new pool hands out the keys the first one left,
// except those spent, and drops the keys of another type.
func TestKeyPoolStartsWithTheKeysTheStoreKept(t *testing.T) {
	s := newStore()
	// Three keys, then refills that wait until the test ends: the store holds exactly three.
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
	first := startPool(t, ECDSAP256, 3, s, three, 1)
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
	second := startPool(t, ECDSAP256, 3, s, cannot, 2)
	assert.Equal(t, 2, second.Ready(), "the pool starts warm")
	for range 2 {
		key, err := second.Get()
		require.NoError(t, err)
		assert.True(t, left[key.pooled], "a key the first pool kept and never spent")
		assert.NotEqual(t, spent.pooled, key.pooled, "a spent key is never handed out again")
	}
	_, err = second.Get()
	assert.ErrorContains(t, err, "no generation in this test", "with its generators stopped, Get generates, and reports why it cannot")

	third := startPool(t, RSA2048, 3, s, cannot, 1)
	assert.Zero(t, third.Ready(), "keys of another type are not handed out")
	assert.Empty(t, keptKeys(t, s), "and are dropped from the store")
}

// heldGenerator generates a key each time the test releases one, and counts its calls: a
// generator whose keys arrive when the test says, as slow RSA-4096 keys arrive in production.
type heldGenerator struct {
	calls   atomic.Int32
	release chan struct{}
}

func newHeldGenerator(t *testing.T) *heldGenerator {
	g := &heldGenerator{release: make(chan struct{})}
	t.Cleanup(func() { close(g.release) })
	return g
}

func (g *heldGenerator) generate() (crypto.Signer, error) {
	g.calls.Add(1)
	<-g.release
	return ECDSAP256.Generate()
}

// TestKeyPoolServesWaitingRequestsInArrivalOrder empties a pool whose generators are held, lines
// up requests one after another, then releases one key at a time: each key goes to the request
// that has waited longest, and no request generates a key of its own.
func TestKeyPoolServesWaitingRequestsInArrivalOrder(t *testing.T) {
	g := newHeldGenerator(t)
	p := startPool(t, ECDSAP256, 1, newStore(), g.generate, 2)
	const requests = 5
	served := make(chan int, requests)
	for i := range requests {
		go func() {
			key, err := p.Get()
			assert.NoError(t, err)
			assert.NotNil(t, key.Signer)
			served <- i
		}()
		require.Eventually(t, func() bool { return p.Waiting() == i+1 }, 10*time.Second, time.Millisecond, "request %d waits in line", i)
	}
	for i := range requests {
		g.release <- struct{}{}
		assert.Equal(t, i, <-served, "the key goes to the request that came first")
	}
	assert.LessOrEqual(t, int(g.calls.Load()), requests+2, "only the two generators generate, none of the requests")
}

func TestKeyPoolGrowsUnderDemandWithinItsBoundAndShrinksBack(t *testing.T) {
	g := newHeldGenerator(t)
	p := startPool(t, ECDSAP256, 2, newStore(), g.generate, 1)
	assert.Equal(t, 2, p.Target())
	served := make(chan struct{}, 3)
	for i := range 3 {
		go func() {
			_, err := p.Get()
			assert.NoError(t, err)
			served <- struct{}{}
		}()
		require.Eventually(t, func() bool { return p.Waiting() == i+1 }, 10*time.Second, time.Millisecond)
	}
	assert.Equal(t, 2*growthLimit, p.Target(), "each request that finds the pool empty doubles the target, up to its bound")
	for range 3 {
		g.release <- struct{}{}
		<-served
	}
	for range 2 * growthLimit {
		g.release <- struct{}{}
	}
	require.Eventually(t, func() bool { return p.Ready() == 2*growthLimit }, 10*time.Second, time.Millisecond, "the pool fills up to its target")
	for range 2 * growthLimit {
		_, err := p.Get()
		require.NoError(t, err)
	}
	assert.Equal(t, 2, p.Target(), "requests served from a well-stocked pool bring the target back to the size")
}

func TestKeyPoolCloseDoesNotWaitForTheKeyBeingGenerated(t *testing.T) {
	g := newHeldGenerator(t)
	p, err := newKeyPool(ECDSAP256, 2, newStore(), g.generate, 1)
	require.NoError(t, err)
	p.Start()
	require.Eventually(t, func() bool { return g.calls.Load() == 1 }, 10*time.Second, time.Millisecond, "the refill started")

	waiting := make(chan Key)
	go func() {
		key, err := p.Get()
		assert.NoError(t, err)
		waiting <- key
	}()
	require.Eventually(t, func() bool { return p.Waiting() == 1 }, 10*time.Second, time.Millisecond)

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
	// Two keys: the one in flight when Close came, and the one the request in line, let go by
	// Close, generates itself.
	g.release <- struct{}{}
	g.release <- struct{}{}
	assert.NotNil(t, (<-waiting).Signer)
	assert.Never(t, func() bool { return p.Ready() > 0 || g.calls.Load() > 2 }, 200*time.Millisecond, 5*time.Millisecond,
		"after Close the generator drops its key and generates no other")
	go func() { g.release <- struct{}{} }()
	key, err := p.Get()
	require.NoError(t, err, "Get works after Close")
	assert.NotNil(t, key.Signer)
}
