package main

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestTheCollectorsTargetGivesTheHeapItsHeadroom(t *testing.T) {
	assert.Equal(t, 100, gcPercentFor(0), "nothing measured yet: Go's default")
	assert.Equal(t, 640, gcPercentFor(10<<20), "10 MB live may grow by 64 MB")
	assert.Equal(t, 200, gcPercentFor(32<<20))
	assert.Equal(t, 100, gcPercentFor(64<<20))
	assert.Equal(t, 100, gcPercentFor(1<<30), "never below Go's default")
}

func TestServeTunesTheCollectorUnlessGOGCSaysOtherwise(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()

	tuneGC(ctx, func(string) string { return "50" }, time.Millisecond)
	assert.Equal(t, 100, debug.SetGCPercent(100), "GOGC set: left as the runtime read it")

	runtime.GC() // so that the live heap is measured
	tuneGC(ctx, func(string) string { return "" }, time.Millisecond)
	assert.Greater(t, debug.SetGCPercent(100), 100, "a test binary keeps far less than 64 MB alive")
	assert.Eventually(t, func() bool { return debug.SetGCPercent(100) > 100 }, 5*time.Second, time.Millisecond,
		"the target follows the live heap")
	cancel()
}
