package parleycmd

import "runtime/debug"

// serveGCPercent is the garbage collector's target for `parley serve` when
// GOGC is not set. A turn allocates tens of kilobytes that die with it and
// the live heap is small (about 50 MB with 1,000 conversations under load),
// so at Go's default of 100 the collector ran several times a second, 10-16%
// of the server's CPU. 400 lets the heap grow to five times what is live
// (a few hundred MB at that load) for about 13-15% less CPU per turn
// (BENCHMARKS.md). GOGC, and GOMEMLIMIT, which caps the heap whatever the
// target, still decide when set.
const serveGCPercent = 400

// tuneGC sets the collector's target for a long-running server.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") != "" {
		return
	}
	debug.SetGCPercent(serveGCPercent)
}
