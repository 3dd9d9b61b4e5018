package main

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSlowShares(t *testing.T) {
	var ds []time.Duration
	for _, ms := range []int{1, 2, 5, 10, 11, 20, 26, 30, 60, 100} {
		ds = append(ds, time.Duration(ms)*time.Millisecond)
	}
	// Over 10 ms is strictly slower, as the histogram's le is inclusive.
	if diff := cmp.Diff([]float64{60, 40, 20}, percentiles(ds).Over); diff != "" {
		t.Errorf("loader's shares (-want +got):\n%s", diff)
	}
	before := metricsSnapshot{turnBuckets: map[string]float64{"0.01": 10, "0.025": 10, "0.05": 10, "+Inf": 10}}
	after := metricsSnapshot{turnBuckets: map[string]float64{"0.01": 90, "0.025": 100, "0.05": 105, "+Inf": 110}}
	if diff := cmp.Diff([]float64{20, 10, 5}, after.turnsOver(before)); diff != "" {
		t.Errorf("server's shares (-want +got):\n%s", diff)
	}
	if got := after.turnsOver(after); got != nil {
		t.Errorf("no turns between: %v, want nil", got)
	}
}
