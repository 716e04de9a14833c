package clock

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAdvanceMovesForwardOnly(t *testing.T) {
	start := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	c := NewAt(func() time.Time { return start })
	assert.Equal(t, start, c.Now())
	now, err := c.Advance(time.Hour)
	require.NoError(t, err)
	assert.Equal(t, start.Add(time.Hour), now)
	now, err = c.Advance(-time.Minute)
	require.NoError(t, err)
	assert.Equal(t, start.Add(time.Hour), now, "a negative duration does nothing")
	assert.Equal(t, time.Hour, c.Offset())
	c.Reset()
	assert.Equal(t, start, c.Now())
}

func TestAdvanceStopsAtTheEndOfObjectIdTime(t *testing.T) {
	start := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	c := NewAt(func() time.Time { return start })
	for range 2 { // twice the longest Duration would wrap the offset around
		now, err := c.Advance(2562047 * time.Hour)
		assert.ErrorIs(t, err, ErrPastLatest)
		assert.Equal(t, start, now, "a refused advance leaves the clock as it was")
	}
	now, err := c.Advance(Latest.Sub(start))
	require.NoError(t, err, "up to Latest exactly")
	assert.Equal(t, Latest, now)
	_, err = c.Advance(time.Nanosecond)
	assert.ErrorIs(t, err, ErrPastLatest)
	assert.Equal(t, Latest, c.Now())
}

func TestAdvanceNeverOverflowsTheOffset(t *testing.T) {
	// So early a real time, which NewAt accepts, that Latest lies further ahead than the longest
	// Duration.
	start := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewAt(func() time.Time { return start })
	_, err := c.Advance(math.MaxInt64 - time.Hour)
	require.NoError(t, err)
	_, err = c.Advance(2 * time.Hour)
	assert.ErrorIs(t, err, ErrPastLatest)
	assert.Equal(t, time.Duration(math.MaxInt64-time.Hour), c.Offset(), "the offset did not wrap around")
}
