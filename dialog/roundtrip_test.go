package dialog

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestRoundTrips: a state that says it round-trips comes back from its JSON
// equal, and one holding what JSON changes says it does not.
func TestRoundTrips(t *testing.T) {
	bot := loadBot(t, shopDir)
	c := newConvo(t, bot, "conv-rt")
	c.withData("orders", orderData("AB123456", "delivered", 499))
	c.send(refundWrongItem())
	awaiting, _, _ := Step(bot, c.st, Input{Now: c.now.Add(time.Minute), Message: yes().Message})
	for name, st := range map[string]State{"in a dialog": c.st, "awaiting a call": awaiting} {
		if !st.RoundTrips() {
			t.Errorf("%s: RoundTrips = false", name)
		}
		raw, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		var decoded State
		if err := json.Unmarshal(raw, &decoded); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(st, decoded, stateOpts); diff != "" {
			t.Errorf("%s: the state changes through JSON (-before +after):\n%s", name, diff)
		}
	}

	withData := func(data map[string]any) State {
		st := c.st
		st.Stack = []Frame{{Dialog: "refund", Calls: map[string]CallResult{"order": {Data: data}}}}
		return st
	}
	for name, st := range map[string]State{
		"a connector's int":         withData(map[string]any{"total": int64(1) << 60}),
		"a []string":                withData(map[string]any{"tags": []string{"a"}}),
		"a nil list":                withData(map[string]any{"tags": []any(nil)}),
		"a nested int":              withData(map[string]any{"order": map[string]any{"n": 1}}),
		"a monotonic clock reading": func() State { st := c.st; st.LastActivity = time.Now(); return st }(),
		"remembered int":            func() State { st := c.st; st.Memory = map[string]any{"n": 3}; return st }(),
		"a customer fact's int": func() State {
			st := c.st
			last := *st.Last
			last.Customer = map[string]any{"orders": 3}
			st.Last = &last
			return st
		}(),
	} {
		if st.RoundTrips() {
			t.Errorf("%s: RoundTrips = true", name)
		}
	}
	if st := withData(map[string]any{"total": 499.0, "items": []any{"a", map[string]any{"n": 1.0}}, "note": nil}); !st.RoundTrips() {
		t.Error("JSON-like data: RoundTrips = false")
	}
}
