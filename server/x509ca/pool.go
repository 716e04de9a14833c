package x509ca

import (
	"context"
	"crypto"
	"sync"
)

// KeySource hands out the private keys of new certificates and CAs.
type KeySource interface {
	Get() (crypto.Signer, error)
}

// KeyPool keeps keys generated ahead of time, so that issuing a certificate does not wait for an
// RSA-4096 key. One background goroutine refills it; when it runs dry, Get generates a key itself.
type KeyPool struct {
	keyType KeyType
	keys    chan crypto.Signer
	stop    context.CancelFunc
	done    sync.WaitGroup
}

// NewKeyPool starts a pool of up to size keys of keyType. A size of zero keeps no keys ahead.
func NewKeyPool(keyType KeyType, size int) *KeyPool {
	ctx, cancel := context.WithCancel(context.Background())
	p := &KeyPool{keyType: keyType, keys: make(chan crypto.Signer, size), stop: cancel}
	if size > 0 {
		p.done.Add(1)
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
		return p.keyType.Generate()
	}
}

// Ready returns how many keys are waiting in the pool.
func (p *KeyPool) Ready() int { return len(p.keys) }

// Close stops refilling the pool and waits for the refill goroutine to end.
func (p *KeyPool) Close() {
	p.stop()
	p.done.Wait()
}

func (p *KeyPool) fill(ctx context.Context) {
	defer p.done.Done()
	for ctx.Err() == nil {
		key, err := p.keyType.Generate()
		if err != nil {
			return
		}
		select {
		case p.keys <- key:
		case <-ctx.Done():
			return
		}
	}
}
