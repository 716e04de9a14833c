package main

import "runtime/debug"

// serveGCPercent is the garbage collector's target under `atlasstub serve`: the heap may grow to
// five times what is live before the next collection, against Go's default of twice. A stub's
// live heap is small (tens of MB: its specifications, its state, its journal) and every request
// allocates, so that at Go's default a stub under load spends a sixth of its processor time
// collecting; at 400 it spends about a quarter of that, and its slowest answers come sooner
// (docs/benchmarks.md, Versus Prism). The price is memory under load, not at rest.
const serveGCPercent = 400

// tuneGC sets the collector's target for serving, unless the environment sets GOGC itself,
// which then decides as it always does.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") != "" {
		return
	}
	debug.SetGCPercent(serveGCPercent)
}
