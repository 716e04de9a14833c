package auth

import (
	"container/list"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync"
	"time"
)

// NonceLifetime is how long a Digest nonce may be used, on the stub's clock.
const NonceLifetime = 5 * time.Minute

// Nonces that no client has used yet and nonces that a client has used are bounded apart, so
// that unauthenticated traffic, which only ever gets fresh ones, cannot grow memory without limit
// nor push out a nonce in use: a flood of challenges evicts the oldest fresh nonces, and used
// nonces make room only for other used ones, which only authenticated clients create.
const (
	maxFreshNonces = 100_000
	maxUsedNonces  = 100_000
)

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
	// fresh holds the nonces never used, oldest first; used the nonces used at least once, in
	// the order of their first use. Each is evicted from its front when full.
	fresh, used list.List
}

type nonce struct {
	value     string
	created   time.Time
	lastCount uint64
	used      bool
	// queued is the nonce's element in fresh or used.
	queued *list.Element
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
	if n.fresh.Len() >= maxFreshNonces {
		n.forget(&n.fresh)
	}
	state := &nonce{value: value, created: n.now()}
	state.queued = n.fresh.PushBack(state)
	n.issued[value] = state
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
		// Kept until its queue needs the room, so that the nonce stays stale when it is sent
		// again.
		return NonceStale
	}
	if count == "" {
		if state.used {
			return NonceReplayed
		}
		n.markUsed(state)
		return NonceValid
	}
	nc, err := strconv.ParseUint(count, 16, 64)
	if err != nil || len(count) != 8 || nc <= state.lastCount {
		return NonceReplayed
	}
	state.lastCount = nc
	n.markUsed(state)
	return NonceValid
}

// markUsed moves a nonce that a client has just used from the fresh nonces to the used ones.
func (n *Nonces) markUsed(state *nonce) {
	if state.used {
		return
	}
	state.used = true
	n.fresh.Remove(state.queued)
	if n.used.Len() >= maxUsedNonces {
		n.forget(&n.used)
	}
	state.queued = n.used.PushBack(state)
}

// forget drops the nonce at the front of queue, the oldest there.
func (n *Nonces) forget(queue *list.List) {
	oldest := queue.Remove(queue.Front()).(*nonce)
	delete(n.issued, oldest.value)
}
