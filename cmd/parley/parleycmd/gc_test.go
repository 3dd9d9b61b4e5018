package parleycmd

import (
	"runtime/debug"
	"testing"
)

// serve raises the collector's target unless GOGC says otherwise.
func TestTuneGC(t *testing.T) {
	orig := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(orig) })
	for _, tc := range []struct {
		gogc string
		want int
	}{
		{"", serveGCPercent},
		{"150", 100}, // set in the environment: the runtime read it, serve leaves it
	} {
		debug.SetGCPercent(100)
		tuneGC(func(k string) string {
			if k == "GOGC" {
				return tc.gogc
			}
			return ""
		})
		if got := debug.SetGCPercent(100); got != tc.want {
			t.Errorf("GOGC=%q: GC percent %d, want %d", tc.gogc, got, tc.want)
		}
	}
}
