//go:build !unix

package engine

import "time"

// cpuTime is not measured here: benchmarks report no CPU time.
func cpuTime() time.Duration { return 0 }

// diskWritten is not measured here.
func diskWritten() int64 { return 0 }
