package x509ca

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/atlasstub/atlasstub/server/ids"
	"github.com/atlasstub/atlasstub/server/store"
)

// KeySource hands out the private keys of new certificates and CAs.
type KeySource interface {
	Get() (Key, error)
}

// Key is a private key for a new certificate or CA.
type Key struct {
	crypto.Signer
	// pooled is the key's id in the store's key pool; empty for a key that went straight from
	// its generator to a waiting request, and was never kept.
	pooled string
}

// spend removes a pooled key from the store inside tx, the transaction that records what the
// key signs for, so that no stub hands it out again, before a restart or after.
func (k Key) spend(tx *store.Tx) error {
	if k.pooled == "" {
		return nil
	}
	return tx.SpendPooledKey(k.pooled)
}

// growthLimit bounds how far the pool's target grows under demand: four times its size, 32
// keys with serve's default of 8, a few hundred KiB of RSA-4096 keys, which the machine's
// processors take tens of seconds to generate.
const growthLimit = 4

// KeyPool keeps keys generated ahead of time, so that issuing a certificate does not wait for an
// RSA-4096 key. One generator per processor refills it, so that a sustained demand is served as
// fast as the machine can generate keys.
//
// The pool adapts to demand: it keeps size keys ready, and each request that finds it empty
// doubles that target, up to growthLimit times size; each request served from a pool at least
// half full lowers the target by one, back down to size. A request that finds the pool empty
// waits in line: the generators hand their keys to the waiting requests in the order they
// arrived, so that a burst larger than the pool is served in order and no request generates a
// key of its own in competition with the generators.
//
// The generators start on Start, or on the first Get, so that a stub starts before it competes
// with them for the processor. Each key kept ready waits in the store until it is spent, so
// that a restarted stub with a durable store starts with the pool as it left it; a key handed
// straight to a waiting request is never kept.
type KeyPool struct {
	generate func() (crypto.Signer, error)
	keyType  KeyType
	store    *store.Store
	size     int
	started  chan struct{} // closed by Start
	start    func()

	mu         sync.Mutex
	wake       *sync.Cond // a generator may have work, or the pool closed
	ready      []Key      // oldest first
	waiting    []chan<- handout
	target     int
	generating int
	generators int // generators still running
	closed     bool
}

// handout is what a waiting request receives: a key, a generator's error, or neither, when the
// pool closed or its generators stopped, and the request generates its own key.
type handout struct {
	key Key
	err error
}

// NewKeyPool returns a pool of size keys of keyType, with one generator per processor, beginning
// with the keys of that type that the store kept; it drops the others. A size of zero keeps no
// keys ahead: each request waits for a key generated for it. The generators start with Start.
func NewKeyPool(keyType KeyType, size int, s *store.Store) (*KeyPool, error) {
	return newKeyPool(keyType, size, s, keyType.Generate, runtime.GOMAXPROCS(0))
}

// newKeyPool is NewKeyPool with the generator of the keys and the number of generators given,
// so that tests can hold them.
func newKeyPool(keyType KeyType, size int, s *store.Store, generate func() (crypto.Signer, error), generators int) (*KeyPool, error) {
	p := &KeyPool{generate: generate, keyType: keyType, store: s, size: size, target: size, generators: generators, started: make(chan struct{})}
	p.wake = sync.NewCond(&p.mu)
	p.start = sync.OnceFunc(func() { close(p.started) })
	if err := p.load(); err != nil {
		return nil, err
	}
	for range generators {
		go p.run()
	}
	return p, nil
}

// load takes the keys of the pool's type that the store kept, up to the pool's largest target,
// and drops the others: keys of another type, keys beyond that bound, keys that do not parse.
func (p *KeyPool) load() error {
	return p.store.Update(func(tx *store.Tx) error {
		kept, err := tx.PooledKeys()
		if err != nil {
			return err
		}
		for _, k := range kept {
			if signer, ok := p.parse(k); ok && len(p.ready) < p.size*growthLimit {
				p.ready = append(p.ready, Key{Signer: signer, pooled: k.ID})
				continue
			}
			if err := tx.SpendPooledKey(k.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

func (p *KeyPool) parse(k store.PooledKey) (crypto.Signer, bool) {
	if k.Type != string(p.keyType) {
		return nil, false
	}
	key, err := x509.ParsePKCS8PrivateKey(k.PKCS8)
	signer, ok := key.(crypto.Signer)
	return signer, err == nil && ok
}

// Start starts the generators; calling it again does nothing.
func (p *KeyPool) Start() { p.start() }

// KeyType returns the type of the keys in the pool.
func (p *KeyPool) KeyType() KeyType { return p.keyType }

// Get returns the oldest key of the pool or, when the pool is empty, waits in line for the next
// key generated. When the pool is closed, or its generators stopped on an error, Get generates
// the key itself.
func (p *KeyPool) Get() (Key, error) {
	p.Start()
	p.mu.Lock()
	if len(p.ready) > 0 {
		key := p.ready[0]
		p.ready[0] = Key{} // no copy of a handed-out private key stays behind
		p.ready = p.ready[1:]
		if len(p.ready) >= p.target/2 {
			p.target = max(p.size, p.target-1)
		}
		p.wake.Signal()
		p.mu.Unlock()
		return key, nil
	}
	if p.closed || p.generators == 0 {
		p.mu.Unlock()
		return p.generateOwn()
	}
	p.target = min(p.size*growthLimit, max(2*p.target, 1))
	line := make(chan handout, 1)
	p.waiting = append(p.waiting, line)
	p.wake.Signal()
	p.mu.Unlock()
	h := <-line
	if h.key.Signer == nil && h.err == nil {
		return p.generateOwn()
	}
	return h.key, h.err
}

func (p *KeyPool) generateOwn() (Key, error) {
	signer, err := p.generate()
	return Key{Signer: signer}, err
}

// Ready returns how many keys are waiting in the pool.
func (p *KeyPool) Ready() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.ready)
}

// Waiting returns how many requests wait in line for a key.
func (p *KeyPool) Waiting() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.waiting)
}

// Target returns how many keys the pool means to keep ready now.
func (p *KeyPool) Target() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.target
}

// Close stops refilling the pool. It does not wait for the generators: key generation cannot be
// interrupted, and an RSA-4096 key can take seconds, which would hold up the stub's shutdown.
// Each generator drops the key it is generating and ends. The requests in line, and those after,
// generate their own keys.
func (p *KeyPool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	p.releaseWaiting()
	p.wake.Broadcast()
	p.start() // the generators that never started end
}

// releaseWaiting lets every waiting request generate its own key. The caller holds p.mu.
func (p *KeyPool) releaseWaiting() {
	for _, line := range p.waiting {
		line <- handout{}
	}
	p.waiting = nil
}

// wanted is how many more keys the generators should start: the target and the waiting
// requests, less the keys ready and those being generated. The caller holds p.mu.
func (p *KeyPool) wanted() int {
	return p.target + len(p.waiting) - len(p.ready) - p.generating
}

// run is one generator: it generates a key whenever the pool wants one, until the pool closes
// or generation fails with no request waiting to be told.
func (p *KeyPool) run() {
	<-p.started
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		for !p.closed && p.wanted() <= 0 {
			p.wake.Wait()
		}
		if p.closed {
			return
		}
		p.generating++
		p.mu.Unlock()
		signer, err := p.generate()
		p.mu.Lock()
		if p.closed {
			return // the key is dropped
		}
		if err == nil {
			err = p.deliver(signer)
		}
		// The key counts as being generated until it is delivered, so that no other generator
		// starts one more while the store keeps it.
		p.generating--
		if err != nil && !p.fail(err) {
			return
		}
	}
}

// fail hands a generator's error to the first waiting request, and reports whether the
// generator goes on. With no request waiting, the generator stops; when the last one stops, the
// requests generate their own keys, and report their own errors. The caller holds p.mu.
func (p *KeyPool) fail(err error) bool {
	if len(p.waiting) > 0 {
		p.handOut(handout{err: err})
		return true
	}
	p.generators--
	if p.generators == 0 {
		p.releaseWaiting()
	}
	return false
}

// deliver gives a new key to the first waiting request or, with none waiting, keeps it in the
// store and the pool; it fails when the store cannot keep the key, which is dropped. The caller
// holds p.mu, which deliver lets go of while the store writes.
func (p *KeyPool) deliver(signer crypto.Signer) error {
	if len(p.waiting) > 0 {
		p.handOut(handout{key: Key{Signer: signer}})
		return nil
	}
	p.mu.Unlock()
	key, err := p.keep(signer)
	p.mu.Lock()
	switch {
	case err != nil && len(p.waiting) > 0:
		p.handOut(handout{key: Key{Signer: signer}}) // not kept, but as good to use
	case err != nil:
		return err
	case len(p.waiting) > 0:
		p.handOut(handout{key: key})
	default:
		p.ready = append(p.ready, key)
	}
	return nil
}

// handOut sends h to the request that has waited longest. The caller holds p.mu.
func (p *KeyPool) handOut(h handout) {
	p.waiting[0] <- h
	p.waiting[0] = nil
	p.waiting = p.waiting[1:]
}

// keep records a key in the store's pool.
func (p *KeyPool) keep(signer crypto.Signer) (Key, error) {
	pkcs8, err := x509.MarshalPKCS8PrivateKey(signer)
	if err != nil {
		return Key{}, err
	}
	id := ids.ObjectID(time.Now())
	err = p.store.Update(func(tx *store.Tx) error {
		return tx.PoolKey(store.PooledKey{ID: id, Type: string(p.keyType), PKCS8: pkcs8})
	})
	if err != nil {
		return Key{}, fmt.Errorf("keep a pooled key: %w", err)
	}
	return Key{Signer: signer, pooled: id}, nil
}

// NewKeyPoolFrom is NewKeyPool with the key generator and the number of generators given: tests
// hold the generator to decide when each key arrives.
func NewKeyPoolFrom(keyType KeyType, size int, s *store.Store, generate func() (crypto.Signer, error), generators int) (*KeyPool, error) {
	return newKeyPool(keyType, size, s, generate, generators)
}
