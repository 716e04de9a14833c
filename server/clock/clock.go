// Package clock is the stub's notion of time: real time plus an offset that the control API can
// move forward, so that tokens, secrets and certificates expire in seconds instead of months.
package clock

import (
	"sync"
	"time"
)

// Clock is safe for concurrent use. The zero value is not usable; call New.
type Clock struct {
	real func() time.Time

	mu     sync.RWMutex
	offset time.Duration
}

// New returns a clock that follows real time.
func New() *Clock { return &Clock{real: time.Now} }

// NewAt returns a clock whose real time comes from now, for tests that need a fixed start.
func NewAt(now func() time.Time) *Clock { return &Clock{real: now} }

// Now returns the stub's current time in UTC.
func (c *Clock) Now() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.real().Add(c.offset).UTC()
}

// Offset returns how far the stub's clock is ahead of real time.
func (c *Clock) Offset() time.Duration {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.offset
}

// Advance moves the clock forward by d. The clock never moves backwards: a negative d does nothing.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	if d > 0 {
		c.offset += d
	}
	c.mu.Unlock()
	return c.Now()
}

// Reset puts the clock back to real time.
func (c *Clock) Reset() {
	c.mu.Lock()
	c.offset = 0
	c.mu.Unlock()
}
