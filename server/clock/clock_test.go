package clock

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestAdvanceMovesForwardOnly(t *testing.T) {
	start := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	c := NewAt(func() time.Time { return start })
	assert.Equal(t, start, c.Now())
	assert.Equal(t, start.Add(time.Hour), c.Advance(time.Hour))
	assert.Equal(t, start.Add(time.Hour), c.Advance(-time.Minute), "a negative duration does nothing")
	assert.Equal(t, time.Hour, c.Offset())
	c.Reset()
	assert.Equal(t, start, c.Now())
}
