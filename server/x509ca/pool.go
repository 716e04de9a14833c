package x509ca

import (
	"context"
	"crypto"
)

// KeySource hands out the private keys of new certificates and CAs.
type KeySource interface {
	Get() (crypto.Signer, error)
}

// KeyPool keeps keys generated ahead of time, so that issuing a certificate does not wait for an
// RSA-4096 key. One background goroutine refills it; when it runs dry, Get generates a key itself.
type KeyPool struct {
	generate func() (crypto.Signer, error)
	keyType  KeyType
	keys     chan crypto.Signer
	stop     context.CancelFunc
}

// NewKeyPool starts a pool of up to size keys of keyType. A size of zero keeps no keys ahead.
func NewKeyPool(keyType KeyType, size int) *KeyPool {
	return newKeyPool(keyType, size, keyType.Generate)
}

// newKeyPool is NewKeyPool with the generator of the keys given, so that tests can hold one.
func newKeyPool(keyType KeyType, size int, generate func() (crypto.Signer, error)) *KeyPool {
	ctx, cancel := context.WithCancel(context.Background())
	p := &KeyPool{generate: generate, keyType: keyType, keys: make(chan crypto.Signer, size), stop: cancel}
	if size > 0 {
		go p.fill(ctx)
	}
	return p
}

// KeyType returns the type of the keys in the pool.
func (p *KeyPool) KeyType() KeyType { return p.keyType }

// Get returns a key from the pool, or a freshly generated one when the pool is empty.
func (p *KeyPool) Get() (crypto.Signer, error) {
	select {
	case key := <-p.keys:
		return key, nil
	default:
		return p.generate()
	}
}

// Ready returns how many keys are waiting in the pool.
func (p *KeyPool) Ready() int { return len(p.keys) }

// Close stops refilling the pool. It does not wait for the refill goroutine: key generation
// cannot be interrupted, and an RSA-4096 key can take seconds, which would hold up the stub's
// shutdown. The goroutine drops the key it is generating and ends. Get keeps working.
func (p *KeyPool) Close() { p.stop() }

func (p *KeyPool) fill(ctx context.Context) {
	for ctx.Err() == nil {
		key, err := p.generate()
		if err != nil {
			return // Get reports the error when the pool runs dry
		}
		if ctx.Err() != nil {
			return // closed while generating: the key is dropped
		}
		select {
		case p.keys <- key:
		case <-ctx.Done():
		}
	}
}
