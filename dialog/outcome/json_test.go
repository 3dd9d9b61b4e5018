package outcome

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestContactAppendJSON holds the hand-written encoder to json.Marshal, byte
// for byte, over contacts with every field set or left out, strings that
// need escaping, times in other zones and a settled previous contact.
func TestContactAppendJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	strs := []string{"", "refund", "a\"b\\c", "<script>&", "line\nbreak\t\x01", "退款", "\u2028\u2029", "bad \xff utf8", "€"}
	str := func() string { return strs[r.IntN(len(strs))] }
	zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("odd", -(3*3600 + 30*60 + 15))}
	tm := func() time.Time {
		if r.IntN(3) == 0 {
			return time.Time{}
		}
		return time.Unix(r.Int64N(4e9), r.Int64N(1e9)*int64(r.IntN(2))).In(zones[r.IntN(len(zones))])
	}
	num := func() int {
		if r.IntN(2) == 0 {
			return 0
		}
		return r.IntN(2000) - 1000
	}
	random := func() *Contact {
		c := &Contact{
			Seq: int64(num()), LastSeq: int64(num()), StartedAt: tm(), LastActivity: tm(), SettledAt: tm(), TimedOut: r.IntN(2) == 0,
			Outcome: str(), PolicyVersion: str(), PolicyLabel: str(), Language: str(), Intent: str(), IntentAt: num(), Dialog: str(),
			Messages: num(), NotUnderstood: num(), KBAnswered: num(), Unanswered: num(), Resolved: num(), Depth: num(),
			Handoffs: num(), HandoffOpen: r.IntN(2) == 0, Queue: str(), Reason: str(), HandoffAt: tm(), Agent: str(),
			AgentJoinedAt: tm(), FirstAgentReplyAt: tm(), AgentDoneAt: tm(), Tickets: num(), TicketQueue: str(), TicketPriority: str(),
			Approvals: num(), SurveyAsked: r.IntN(2) == 0, Score: num(), Comment: str(), Replies: num(), ReplyMS: int64(num()),
		}
		if r.IntN(2) == 0 {
			v := r.IntN(2) == 0
			c.PendingResolves = &v
		}
		if n := r.IntN(3); n > 0 {
			c.ReplyBuckets = make([]int, n)
			for i := range c.ReplyBuckets {
				c.ReplyBuckets[i] = num()
			}
		}
		return c
	}
	cases := []*Contact{nil, {}, {ReplyBuckets: []int{}}}
	for range 2000 {
		c := random()
		if r.IntN(4) == 0 {
			c.Prev = random()
		}
		cases = append(cases, c)
	}
	// Times json.Marshal refuses: the same error.
	cases = append(cases, &Contact{StartedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		&Contact{Prev: &Contact{HandoffAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("far", 25*3600))}})
	for i, c := range cases {
		want, wantErr := json.Marshal(c)
		got, err := c.AppendJSON([]byte("x"))
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("case %d: error %v, json.Marshal's %v", i, err, wantErr)
		}
		if err != nil {
			continue
		}
		if diff := cmp.Diff("x"+string(want), string(got)); diff != "" {
			t.Fatalf("case %d (-json.Marshal +AppendJSON):\n%s", i, diff)
		}
	}
}

func BenchmarkContactJSON(b *testing.B) {
	v := true
	c := &Contact{Seq: 1, LastSeq: 9, StartedAt: time.Now(), LastActivity: time.Now(), PolicyVersion: "v3", Language: "en",
		Intent: "refund", Dialog: "refund", Messages: 3, PendingResolves: &v, Depth: 1, Replies: 3, ReplyMS: 12, ReplyBuckets: []int{3, 0, 0, 0, 0, 0, 0, 0}}
	b.Run("json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = json.Marshal(c)
		}
	})
	b.Run("AppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = c.AppendJSON(make([]byte, 0, 512))
		}
	})
}
