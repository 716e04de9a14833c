// Package clock is the stub's notion of time: real time plus an offset that the control API can
// move forward, so that tokens, secrets and certificates expire in seconds instead of months.
package clock

import (
	"errors"
	"math"
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
	return c.now()
}

func (c *Clock) now() time.Time { return c.real().Add(c.offset).UTC() }

// Offset returns how far the stub's clock is ahead of real time.
func (c *Clock) Offset() time.Duration {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.offset
}

// Latest is the latest time the clock can show: the last second of BSON ObjectId timestamps,
// 32-bit seconds since the epoch, which the stub's identifiers carry as MongoDB's do. Later
// identifiers would wrap around and sort before earlier ones.
var Latest = time.Unix(math.MaxUint32, 0).UTC()

// ErrPastLatest is returned by OffsetAfter when the clock would move past Latest.
var ErrPastLatest = errors.New("the stub's clock stops at " + Latest.Format(time.RFC3339) + ", where the seconds of ObjectId timestamps run out")

// OffsetAfter returns the offset the clock would have after moving forward by d, without moving
// it: the stub records the new offset before it moves the clock (SetOffset). The clock never
// moves backwards: a negative d leaves the offset as it is, and an advance past Latest is
// ErrPastLatest.
func (c *Clock) OffsetAfter(d time.Duration) (time.Duration, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if d > c.room() {
		return c.offset, ErrPastLatest
	}
	return c.offset + max(d, 0), nil
}

// room is how much further the clock may move: up to Latest, and never so far that the offset
// overflows. NewAt takes any real time, and before 1814 Latest lies further ahead than a
// time.Duration reaches: Latest.Sub saturates there, and only the second bound keeps the offset
// from wrapping around.
func (c *Clock) room() time.Duration {
	return min(Latest.Sub(c.now()), math.MaxInt64-c.offset)
}

// SetOffset puts the clock offset ahead of real time: an offset from OffsetAfter, zero to put
// the clock back to real time, or the offset a restarted stub recorded.
func (c *Clock) SetOffset(offset time.Duration) {
	c.mu.Lock()
	c.offset = offset
	c.mu.Unlock()
}
