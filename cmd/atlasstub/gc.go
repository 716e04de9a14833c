package main

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Go collects garbage each time the heap has grown by as much as is live (GOGC=100). A stub
// keeps little alive, tens of MB (its specifications, its state, its journal), and every
// request allocates: under load, at Go's default, it collected every few thousand requests and
// spent a sixth of its processor time marking, and its slowest answers waited for that
// (docs/benchmarks.md, Throughput). serve therefore gives the heap at least gcHeadroom to grow
// before the next collection: the collector's target is set to what gives that headroom over the
// live heap, and never below Go's default. A stub that keeps more than gcHeadroom alive runs at
// Go's default. The price is memory: a stub under load, or one that was, holds up to gcHeadroom
// more than at Go's default; a stub that was never loaded holds no more.
const (
	gcHeadroom = 64 << 20
	// gcRetune is how often the target follows the live heap.
	gcRetune = time.Second
)

// gcPercentFor is the collector's target that gives a heap of live bytes gcHeadroom to grow.
func gcPercentFor(live uint64) int {
	if live == 0 {
		return 100
	}
	return max(100, int(gcHeadroom*100/live))
}

// tuneGC keeps the collector's target at gcPercentFor the live heap, every interval, until ctx
// ends, unless the environment sets GOGC itself, which then decides as it always does.
func tuneGC(ctx context.Context, getenv func(string) string, interval time.Duration) {
	if getenv("GOGC") != "" {
		return
	}
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	retune := func() {
		metrics.Read(live)
		debug.SetGCPercent(gcPercentFor(live[0].Value.Uint64()))
	}
	retune()
	go func() {
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				retune()
			}
		}
	}()
}
