package auth

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync"
	"time"
)

// NonceLifetime is how long a Digest nonce may be used, on the stub's clock.
const NonceLifetime = 5 * time.Minute

// maxNonces bounds the nonces kept at once; beyond it, the oldest expired ones are dropped first
// and then any, so that unauthenticated traffic cannot grow memory without limit.
const maxNonces = 100_000

// NonceStatus is what checking a nonce found.
type NonceStatus int

const (
	// NonceValid: issued, young enough, and the count is higher than any seen.
	NonceValid NonceStatus = iota
	// NonceStale: issued but too old; the client should retry with a new one (stale=true). It
	// stays stale, however often it is sent again.
	NonceStale
	// NonceUnknown: never issued here, or forgotten.
	NonceUnknown
	// NonceReplayed: a count that was already used, or no count on a nonce already used.
	NonceReplayed
)

// Nonces issues the nonces of Digest challenges and checks them: their age on the stub's clock
// and their nonce counts, which must increase so that a captured request cannot be replayed.
type Nonces struct {
	now func() time.Time

	mu     sync.Mutex
	issued map[string]*nonce
}

type nonce struct {
	created   time.Time
	lastCount uint64
	used      bool
}

// NewNonces returns an empty nonce store on the clock now.
func NewNonces(now func() time.Time) *Nonces {
	return &Nonces{now: now, issued: map[string]*nonce{}}
}

// Issue returns a new nonce.
func (n *Nonces) Issue() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	value := hex.EncodeToString(b[:])
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.issued) >= maxNonces {
		n.forget()
	}
	n.issued[value] = &nonce{created: n.now()}
	return value
}

// Use checks a nonce with its count (8 hexadecimal digits; empty when the client sent no qop)
// and records the count.
func (n *Nonces) Use(value, count string) NonceStatus {
	n.mu.Lock()
	defer n.mu.Unlock()
	state, ok := n.issued[value]
	if !ok {
		return NonceUnknown
	}
	if n.now().Sub(state.created) > NonceLifetime {
		// Kept until forget needs the room, so that the nonce stays stale when it is sent again.
		return NonceStale
	}
	if count == "" {
		if state.used {
			return NonceReplayed
		}
		state.used = true
		return NonceValid
	}
	nc, err := strconv.ParseUint(count, 16, 64)
	if err != nil || len(count) != 8 || nc <= state.lastCount {
		return NonceReplayed
	}
	state.lastCount, state.used = nc, true
	return NonceValid
}

// forget drops expired nonces, or, if none has expired, half of them.
func (n *Nonces) forget() {
	now := n.now()
	for value, state := range n.issued {
		if now.Sub(state.created) > NonceLifetime {
			delete(n.issued, value)
		}
	}
	for value := range n.issued {
		if len(n.issued) < maxNonces/2 {
			return
		}
		delete(n.issued, value)
	}
}
