package dialog

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/nlu"
)

// piece marks text, a piece of the message, as read alone as intent.
func piece(text, intent string, conf float64, also bool) nluOpt {
	return func(r *nlu.Result) {
		start := strings.Index(r.Text, text)
		r.Parts = append(r.Parts, nlu.Part{Start: start, End: start + len(text),
			Top: nlu.IntentScore{Name: intent, Confidence: conf}, Also: also, Question: nlu.LooksLikeQuestion(text)})
	}
}

func queued(c *convo) []string {
	var out []string
	for _, l := range c.st.Later {
		out = append(out, l.Intent)
	}
	return out
}

func TestTwoRequestsInOneMessage(t *testing.T) {
	trackThenRefund := func() Input {
		text := "where is AB123456? also I want a refund for PQ000499"
		return say(text, intent("refund", 0.7), intent("track_order", 0.2), ent("order_id", "AB123456"), ent("order_id", "PQ000499"),
			piece("where is AB123456?", "track_order", 0.95, false), piece("also I want a refund for PQ000499", "refund", 0.9, true))
	}
	refundThenTrack := func() Input {
		text := "I want a refund for PQ000499. Also, where is CD654321?"
		return say(text, intent("refund", 0.8), ent("order_id", "PQ000499"), ent("order_id", "CD654321"),
			piece("I want a refund for PQ000499.", "refund", 0.95, false), piece("Also, where is CD654321?", "track_order", 0.9, true))
	}
	order := func(status string, total float64) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{
			"status": cty.StringVal(status), "total": cty.NumberFloatVal(total),
			"carrier": cty.StringVal("SF Express"), "eta": cty.StringVal("2026-11-20"),
		})
	}
	orders := cty.ObjectVal(map[string]cty.Value{"orders": cty.ObjectVal(map[string]cty.Value{
		"AB123456": order("shipped", 100), "PQ000499": order("delivered", 499), "CD654321": order("processing", 80),
	})})
	tests := []struct {
		name  string
		turns []Input
		// want is the last turn's responses; later what still waits after it.
		want  []string
		slots map[string]string
		later []string
		says  string // a reply of the last turn holds it
		// summary is in the summary of the last turn's handoff.
		summary string
	}{
		{
			name:  "in the order asked, each with its own order number",
			turns: []Input{trackThenRefund()},
			want:  []string{"order_shipped", "ask_refund_reason"},
			slots: map[string]string{"order_id": "PQ000499"},
		},
		{
			name:  "the second waits while the first asks",
			turns: []Input{refundThenTrack()},
			want:  []string{"ask_refund_reason"},
			slots: map[string]string{"order_id": "PQ000499"},
			later: []string{"track_order"},
		},
		{
			name:  "a cancelled first request lets the second start",
			turns: []Input{refundThenTrack(), say("never mind", cancel())},
			want:  []string{"order_status"},
		},
		{
			name:    "a handoff drops what waits",
			turns:   []Input{refundThenTrack(), say("let me talk to a person", intent("human", 0.95))},
			want:    []string{"handoff_general"},
			summary: `Also asked for tracking your order, not handled yet, asked as "Also, where is CD654321?".`,
		},
		{
			name: "the first piece goes first when the whole message reads as neither request",
			turns: []Input{say("I want a refund for PQ000499. Also, where is CD654321?", intent("change_address", 0.6), ent("order_id", "PQ000499"), ent("order_id", "CD654321"),
				piece("I want a refund for PQ000499.", "refund", 0.95, false), piece("Also, where is CD654321?", "track_order", 0.9, true))},
			want:  []string{"ask_refund_reason"},
			slots: map[string]string{"order_id": "PQ000499"},
			later: []string{"track_order"},
		},
		{
			name: "a piece that tells more is no request",
			turns: []Input{say("I want a refund for PQ000499. The box was crushed.", intent("refund", 0.9), ent("order_id", "PQ000499"),
				piece("I want a refund for PQ000499.", "refund", 0.95, false), piece("The box was crushed.", "track_order", 0.9, false))},
			want:  []string{"ask_refund_reason"},
			slots: map[string]string{"order_id": "PQ000499"},
		},
		{
			name: "a piece under the threshold is no request",
			turns: []Input{say("I want a refund for PQ000499. Also, where is it?", intent("refund", 0.9), ent("order_id", "PQ000499"),
				piece("I want a refund for PQ000499.", "refund", 0.95, false), piece("Also, where is it?", "track_order", 0.2, true))},
			want:  []string{"ask_refund_reason"},
			slots: map[string]string{"order_id": "PQ000499"},
		},
		{
			name: "a piece with no order number takes the other piece's",
			turns: []Input{say("I want a refund for PQ000499. Also where is it?", intent("refund", 0.9), ent("order_id", "PQ000499"),
				piece("I want a refund for PQ000499.", "refund", 0.95, false), piece("Also where is it?", "track_order", 0.9, true)),
				say("never mind", cancel())},
			want: []string{"order_status"},
			says: "PQ000499",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newConvo(t, loadBot(t, shopDir), "conv-later")
			c.withData("orders", orders)
			var last turn
			for _, in := range tc.turns {
				last = c.send(in)
			}
			got := slices.DeleteFunc(slices.Clone(last.Responses), func(r string) bool { return r == "" })
			if diff := cmp.Diff(tc.want, got, stateOpts); diff != "" {
				t.Errorf("responses (-want +got):\n%s\nreplies: %q", diff, last.Replies)
			}
			if tc.slots != nil {
				if diff := cmp.Diff(tc.slots, c.slots()); diff != "" {
					t.Errorf("slots (-want +got):\n%s", diff)
				}
			}
			if tc.says != "" && !slices.ContainsFunc(last.Replies, func(r string) bool { return strings.Contains(r, tc.says) }) {
				t.Errorf("no reply says %q: %q", tc.says, last.Replies)
			}
			if tc.summary != "" && (last.Handoff == nil || !strings.Contains(last.Handoff.Summary, tc.summary)) {
				t.Errorf("the handoff's summary does not say %q: %+v", tc.summary, last.Handoff)
			}
			if diff := cmp.Diff(tc.later, queued(c)); diff != "" {
				t.Errorf("waiting requests (-want +got):\n%s", diff)
			}
		})
	}
}

// A question that gives the first request's dialog a date its own piece
// lacks is part of that request, whatever it reads as alone.
func TestAPieceThatGivesTheFirstRequestAValue(t *testing.T) {
	c := newConvo(t, loadBot(t, "testdata/trip"), "conv-later-value")
	text := "I need a hotel. Is 2026-12-01 ok?"
	tn := c.send(say(text, intent("stay", 0.9), ent("date", "2026-12-01"),
		piece("I need a hotel.", "stay", 0.95, false), piece("Is 2026-12-01 ok?", "fly", 0.9, false)))
	if diff := cmp.Diff([]string{"Check out when?"}, tn.Replies); diff != "" {
		t.Errorf("replies (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"check_in": "2026-12-01"}, c.slots()); diff != "" {
		t.Errorf("slots (-want +got):\n%s", diff)
	}
	if len(c.st.Later) > 0 {
		t.Errorf("waiting: %+v, want none", c.st.Later)
	}
}
