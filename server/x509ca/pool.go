package x509ca

import (
	"context"
	"crypto"
	"crypto/x509"
	"fmt"
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
	// pooled is the key's id in the store's key pool; empty for a key generated on request.
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

// KeyPool keeps keys generated ahead of time, so that issuing a certificate does not wait for an
// RSA-4096 key. One background goroutine refills it; when it runs dry, Get generates a key itself.
// Each key waits in the store until it is spent, so that a restarted stub with a durable store
// starts with the pool as it left it.
type KeyPool struct {
	generate func() (crypto.Signer, error)
	keyType  KeyType
	store    *store.Store
	keys     chan Key
	stop     context.CancelFunc
}

// NewKeyPool starts a pool of up to size keys of keyType, beginning with the keys of that type
// that the store kept; it drops the others. A size of zero keeps no keys ahead.
func NewKeyPool(keyType KeyType, size int, s *store.Store) (*KeyPool, error) {
	return newKeyPool(keyType, size, s, keyType.Generate)
}

// newKeyPool is NewKeyPool with the generator of the keys given, so that tests can hold one.
func newKeyPool(keyType KeyType, size int, s *store.Store, generate func() (crypto.Signer, error)) (*KeyPool, error) {
	ctx, cancel := context.WithCancel(context.Background())
	p := &KeyPool{generate: generate, keyType: keyType, store: s, keys: make(chan Key, size), stop: cancel}
	if err := p.load(); err != nil {
		cancel()
		return nil, err
	}
	if size > 0 {
		go p.fill(ctx)
	}
	return p, nil
}

// load takes the keys of the pool's type that the store kept, up to the pool's size, and drops
// the others: keys of another type, keys beyond the size, keys that do not parse.
func (p *KeyPool) load() error {
	return p.store.Update(func(tx *store.Tx) error {
		kept, err := tx.PooledKeys()
		if err != nil {
			return err
		}
		for _, k := range kept {
			if signer, ok := p.parse(k); ok && len(p.keys) < cap(p.keys) {
				p.keys <- Key{Signer: signer, pooled: k.ID}
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

// KeyType returns the type of the keys in the pool.
func (p *KeyPool) KeyType() KeyType { return p.keyType }

// Get returns a key from the pool, or a freshly generated one when the pool is empty.
func (p *KeyPool) Get() (Key, error) {
	select {
	case key := <-p.keys:
		return key, nil
	default:
		signer, err := p.generate()
		return Key{Signer: signer}, err
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
		key, err := p.keep(ctx)
		if err != nil {
			return // Get reports a generation error when the pool runs dry
		}
		select {
		case p.keys <- key:
		case <-ctx.Done():
		}
	}
}

// keep generates a key and records it in the store.
func (p *KeyPool) keep(ctx context.Context) (Key, error) {
	signer, err := p.generate()
	if err != nil {
		return Key{}, err
	}
	if ctx.Err() != nil {
		return Key{}, ctx.Err() // closed while generating: the key is dropped
	}
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
