package clock

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// advance moves c forward by d as the stub does: the offset after, then the move.
func advance(c *Clock, d time.Duration) (time.Time, error) {
	offset, err := c.OffsetAfter(d)
	if err != nil {
		return c.Now(), err
	}
	c.SetOffset(offset)
	return c.Now(), nil
}

func TestAdvanceMovesForwardOnly(t *testing.T) {
	start := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	c := NewAt(func() time.Time { return start })
	assert.Equal(t, start, c.Now())
	offset, err := c.OffsetAfter(time.Hour)
	require.NoError(t, err)
	assert.Equal(t, time.Hour, offset)
	assert.Equal(t, start, c.Now(), "OffsetAfter does not move the clock")
	now, err := advance(c, time.Hour)
	require.NoError(t, err)
	assert.Equal(t, start.Add(time.Hour), now)
	now, err = advance(c, -time.Minute)
	require.NoError(t, err)
	assert.Equal(t, start.Add(time.Hour), now, "a negative duration does nothing")
	assert.Equal(t, time.Hour, c.Offset())
	c.SetOffset(0)
	assert.Equal(t, start, c.Now())
}

func TestAdvanceStopsAtTheEndOfObjectIdTime(t *testing.T) {
	start := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	c := NewAt(func() time.Time { return start })
	for range 2 { // twice the longest Duration would wrap the offset around
		now, err := advance(c, 2562047*time.Hour)
		assert.ErrorIs(t, err, ErrPastLatest)
		assert.Equal(t, start, now, "a refused advance leaves the clock as it was")
	}
	now, err := advance(c, Latest.Sub(start))
	require.NoError(t, err, "up to Latest exactly")
	assert.Equal(t, Latest, now)
	_, err = advance(c, time.Nanosecond)
	assert.ErrorIs(t, err, ErrPastLatest)
	assert.Equal(t, Latest, c.Now())
}

func TestAdvanceNeverOverflowsTheOffset(t *testing.T) {
	// So early a real time, which NewAt accepts, that Latest lies further ahead than the longest
	// Duration.
	start := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewAt(func() time.Time { return start })
	_, err := advance(c, math.MaxInt64-time.Hour)
	require.NoError(t, err)
	_, err = advance(c, 2*time.Hour)
	assert.ErrorIs(t, err, ErrPastLatest)
	assert.Equal(t, time.Duration(math.MaxInt64-time.Hour), c.Offset(), "the offset did not wrap around")
}
