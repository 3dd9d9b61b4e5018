package dialog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A dialog's call whose input reads another of its calls waits for that call,
// whatever the order they are written in, and runs again when the slot the
// other call read is corrected.
func TestCallReadingAnotherCallWaitsForIt(t *testing.T) {
	email := func(e string) Input { return say(e, ent("email", e)) }
	runConversations(t, []conversation{{
		name: "the lookup runs first, then the call that reads its result",
		dir:  "testdata/chained_calls",
		turns: []exchange{
			{in: say("my cases", intent("cases", 0.9)), replies: []string{"What's your email?"}, calls: none()},
			{in: email("ada@example.com"), calls: []string{"crm.find_customer", "crm.open_cases"},
				replies: []string{"You have 5 open cases."}, stack: none()},
		},
	}, {
		name: "a lookup that finds no one asks again; the dependent call waits",
		dir:  "testdata/chained_calls",
		turns: []exchange{
			{in: say("my cases", intent("cases", 0.9)), replies: []string{"What's your email?"}},
			{in: email("nobody@example.com"), calls: []string{"crm.find_customer"},
				replies: []string{"No account for nobody@example.com.", "What's your email?"}, stack: []string{"cases"}},
			{in: email("bob@example.com"), calls: []string{"crm.find_customer", "crm.open_cases"},
				replies: []string{"You have 1 open cases."}, stack: none()},
		},
	}})
}

// A call whose input reads only another call's error runs after it, failed
// or not (a fallback lookup, a log of the failure); one that reads its
// result does not run when it failed, and the log says why.
func TestCallReadingAnotherCallsError(t *testing.T) {
	email := func(e string) Input { return say(e, ent("email", e)) }
	skipped := func(t *testing.T, tn turn, c *convo) {
		t.Helper()
		var got []string
		for _, ev := range tn.Events {
			if ev.Type == EventCallSkipped {
				got = append(got, ev.Call+": "+ev.Reason)
			}
		}
		want := []string{"cases: its input reads the result of call.customer, which failed (not_found)"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("call_skipped events (-want +got):\n%s", diff)
		}
	}
	runConversations(t, []conversation{{
		name: "the first lookup answers; the fallback runs all the same",
		dir:  "testdata/fallback_lookup",
		turns: []exchange{
			{in: say("my cases", intent("cases", 0.9)), replies: []string{"What's your email?"}},
			{in: email("ada@example.com"), calls: []string{"crm.find_customer", "crm.find_legacy", "crm.open_cases"},
				replies: []string{"You have 5 open cases."}, stack: none()},
		},
	}, {
		name: "the first lookup fails: the fallback runs, the call reading its result does not",
		dir:  "testdata/fallback_lookup",
		turns: []exchange{
			{in: say("my cases", intent("cases", 0.9)), replies: []string{"What's your email?"}},
			{in: email("old@example.com"), calls: []string{"crm.find_customer", "crm.find_legacy"},
				replies: []string{"Your account L9 is in the old system: its cases are not online."}, stack: none(), check: skipped},
		},
	}, {
		name: "both fail: the value is invalid",
		dir:  "testdata/fallback_lookup",
		turns: []exchange{
			{in: say("my cases", intent("cases", 0.9)), replies: []string{"What's your email?"}},
			{in: email("nobody@example.com"), calls: []string{"crm.find_customer", "crm.find_legacy"},
				replies: []string{"No account for nobody@example.com. What's your email?"}, stack: []string{"cases"}},
		},
	}})
}
