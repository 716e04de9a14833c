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
// more than at Go's default, until it comes to rest: then it collects once and gives the
// system back every page it does not use (see atRest).
const (
	gcHeadroom = 64 << 20
	// gcRetune is how often the target follows the live heap, and how often serve looks whether
	// the stub is at rest.
	gcRetune = time.Second
	// gcQuiet is what a stub at rest allocates in gcRetune at most: keep-alives and the clock,
	// not requests.
	gcQuiet = 1 << 20
	// gcReleaseAfter is what a stub allocates between two returns of its memory at least, so
	// that a stub at rest collects once, not every gcRetune.
	gcReleaseAfter = 16 << 20
)

// gcPercentFor is the collector's target that gives a heap of live bytes gcHeadroom to grow.
func gcPercentFor(live uint64) int {
	if live == 0 {
		return 100
	}
	return max(100, int(gcHeadroom*100/live))
}

// atRest reports whether a stub that allocated sinceTick bytes in the last gcRetune and
// sinceRelease since it last returned its memory has come to rest after work: its headroom is
// garbage then, which no collection would free before the next request (a stub at rest
// allocates next to nothing), and which would stay in its resident memory.
func atRest(sinceTick, sinceRelease uint64) bool {
	return sinceTick < gcQuiet && sinceRelease >= gcReleaseAfter
}

// tuneGC keeps the collector's target at gcPercentFor the live heap, every interval, and
// returns the stub's memory to the system when it comes to rest, until ctx ends; unless the
// environment sets GOGC itself, which then decides as it always does.
func tuneGC(ctx context.Context, getenv func(string) string, interval time.Duration) {
	if getenv("GOGC") != "" {
		return
	}
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
	var lastTick, lastRelease uint64
	retune := func() {
		metrics.Read(samples)
		live, allocs := samples[0].Value.Uint64(), samples[1].Value.Uint64()
		if atRest(allocs-lastTick, allocs-lastRelease) {
			debug.FreeOSMemory()
			lastRelease = allocs
		}
		lastTick = allocs
		debug.SetGCPercent(gcPercentFor(live))
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
