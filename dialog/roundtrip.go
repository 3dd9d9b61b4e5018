package dialog

import "math"

// RoundTrips reports whether st comes back from its JSON as the same values:
// true unless a connector's result or a remembered value holds a Go type JSON
// decoding never makes (a connector's own int64, a []string, a nil list) or
// its last activity carries a monotonic clock reading. A caller that keeps a
// state in memory between turns instead of decoding its snapshot keeps only
// those, so the state it steps is the one the log decodes to. (Text that is
// not UTF-8 does not come back either; JSON shows it as \ufffd.)
func (st State) RoundTrips() bool {
	if st.LastActivity != st.LastActivity.Round(0) {
		return false
	}
	for i := range st.Stack {
		if !frameRoundTrips(&st.Stack[i]) {
			return false
		}
	}
	if p := st.Pending; p != nil && (!effectRoundTrips(&p.Effect) || !runsRoundTrip(p.Resume.Runs)) {
		return false
	}
	if !jsonValues(st.Memory) || st.Last != nil && !jsonValues(st.Last.Customer) {
		return false
	}
	for _, a := range st.Approvals {
		if a.Call != nil && !jsonValues(a.Call.Input) || a.Frame != nil && !frameRoundTrips(a.Frame) {
			return false
		}
	}
	return true
}

func frameRoundTrips(f *Frame) bool {
	for _, c := range f.Calls {
		if !jsonValues(c.Data) {
			return false
		}
	}
	return true
}

func runsRoundTrip(runs []Run) bool {
	for _, r := range runs {
		for _, c := range r.Calls {
			if !jsonValues(c.Data) {
				return false
			}
		}
		if r.Frame != nil && !frameRoundTrips(r.Frame) || r.Approved != nil && !jsonValues(r.Approved.Input) {
			return false
		}
	}
	return true
}

func effectRoundTrips(e *Effect) bool {
	return (e.Call == nil || jsonValues(e.Call.Input)) && (e.Approval == nil || jsonValues(e.Approval.Call.Input))
}

func jsonValues(m map[string]any) bool {
	for _, v := range m {
		if !jsonValue(v) {
			return false
		}
	}
	return true
}

// jsonValue reports whether v is what decoding JSON into an any gives.
func jsonValue(v any) bool {
	switch x := v.(type) {
	case nil, string, bool:
		return true
	case float64:
		return !math.IsNaN(x) && !math.IsInf(x, 0)
	case []any:
		if x == nil {
			return false
		}
		for _, e := range x {
			if !jsonValue(e) {
				return false
			}
		}
		return true
	case map[string]any:
		return x != nil && jsonValues(x)
	}
	return false
}
