//go:build race

package plan_test

// raceEnabled: the race detector slows the engine tenfold, so the
// property tests generate fewer conversations under it.
const raceEnabled = true
