package plan

import (
	"slices"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/dialog/outcome"
	"github.com/parleyhq/parley/policies"
)

// contactOutcome is one contact of a conversation and how it came out.
type contactOutcome struct {
	seq     int64 // the seq of its first event
	input   int   // the input that started it
	outcome string
}

// needsLive is the outcome of a contact whose replay stopped at a call
// nobody recorded.
const needsLive = "needs_live_answer"

// foldContacts folds a log into its contacts as the engine does
// (outcome.Apply, event by event), and settles the last one if it is still
// open, as the sweeper would once the customer went quiet. inputOf maps an
// event's index to its input.
func foldContacts(bot *policies.Bot, events []dialog.Event, inputOf func(i int) int) []contactOutcome {
	var c *outcome.Contact
	byseq := map[int64]*outcome.Contact{}
	var order []int64
	keep := func(x *outcome.Contact) {
		if x == nil || !x.Settled() {
			return
		}
		if _, ok := byseq[x.Seq]; !ok {
			order = append(order, x.Seq)
		}
		byseq[x.Seq] = x
	}
	for i, ev := range events {
		cur, prev := outcome.Apply(bot, c, ev, int64(i+1))
		keep(prev)
		keep(cur)
		c = cur
	}
	if c != nil && !c.Settled() {
		keep(c.Settle(c.LastActivity))
	}
	slices.Sort(order)
	out := make([]contactOutcome, 0, len(order))
	for _, seq := range order {
		out = append(out, contactOutcome{seq: seq, input: inputOf(int(seq - 1)), outcome: byseq[seq].Outcome})
	}
	return out
}
