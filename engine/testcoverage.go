package engine

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/policies"
)

// Coverage says which parts of a bot its tests reached: every intent, dialog,
// slot, rule, outcome, handoff policy and response.
type Coverage struct {
	Reached int            `json:"reached"`
	Total   int            `json:"total"`
	Percent float64        `json:"percent"`
	Kinds   []KindCoverage `json:"kinds"`
	Items   []CoverageItem `json:"items"`
}

// KindCoverage sums up one kind of item.
type KindCoverage struct {
	Kind    string  `json:"kind"`
	Reached int     `json:"reached"`
	Total   int     `json:"total"`
	Percent float64 `json:"percent"`
}

// CoverageItem is one part of the bot and whether a test reached it.
type CoverageItem struct {
	Kind  string `json:"kind"`  // intent, dialog, slot, rule, outcome, handoff, triage, response
	Name  string `json:"name"`  // slots and outcomes are DIALOG.NAME
	Where string `json:"where"` // file:line of its declaration
	// Tests counts the tests that reached it; 0: none did.
	Tests int `json:"tests"`
}

// Reached says whether some test reached the item.
func (it CoverageItem) Reached() bool { return it.Tests > 0 }

// CoverageKinds are the kinds of items, in the order reports list them.
var CoverageKinds = []string{"intent", "dialog", "slot", "rule", "outcome", "handoff", "triage", "response"}

// What reaching each kind of item means:
//   - intent: a message was recognised as it, confidently;
//   - dialog: it started;
//   - slot: the bot asked for it, or a message filled it;
//   - rule: it applied;
//   - outcome: it was the one its dialog ended with;
//   - handoff: the policy matched (even if an after-hours rule took over);
//   - triage: it took a ticket of a test of tickets;
//   - response: the bot said it (ticket notices, which the desk sends, are not counted).
type coverage struct {
	items []CoverageItem
	index map[string]int // kind + "\x00" + name -> position in items
	seen  map[string]bool
}

func newCoverage(bot *policies.Bot) *coverage {
	c := &coverage{index: map[string]int{}, seen: map[string]bool{}}
	add := func(kind, name string, rng hcl.Range) {
		c.index[kind+"\x00"+name] = len(c.items)
		c.items = append(c.items, CoverageItem{Kind: kind, Name: name, Where: fmt.Sprintf("%s:%d", rng.Filename, rng.Start.Line)})
	}
	for _, it := range bot.Intents {
		add("intent", it.Name, it.Range)
	}
	for _, dl := range bot.Dialogs {
		add("dialog", dl.Name, dl.Range)
	}
	for _, dl := range bot.Dialogs {
		for _, s := range dl.Slots {
			add("slot", dl.Name+"."+s.Name, s.Range)
		}
	}
	for _, r := range bot.Rules {
		add("rule", r.Name, r.Range)
	}
	for _, dl := range bot.Dialogs {
		for _, o := range dl.Outcomes {
			add("outcome", dl.Name+"."+o.Name, o.Range)
		}
	}
	for _, h := range bot.Handoffs {
		add("handoff", h.Name, h.Range)
	}
	for _, tr := range bot.Triage {
		if tr != nil {
			add("triage", tr.Name, tr.Range)
		}
	}
	responses := make([]*policies.Message, 0, len(bot.Responses))
	for _, m := range bot.Responses {
		responses = append(responses, m)
	}
	sort.Slice(responses, func(i, j int) bool {
		a, b := responses[i].Range, responses[j].Range
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
	// The desk says the ticket notices when people change tickets, which no
	// conversation test plays, so they are not counted.
	deskOnly := map[string]bool{}
	if bot.Tickets != nil {
		for _, m := range bot.Tickets.Notify {
			if m.Name != "" {
				deskOnly[m.Name] = true
			}
		}
	}
	for _, m := range responses {
		if deskOnly[m.Name] {
			continue
		}
		add("response", m.Name, m.Range)
	}
	return c
}

// mark records that a test reached an item; a test counts once per item.
func (c *coverage) mark(test, kind, name string) {
	i, ok := c.index[kind+"\x00"+name]
	if !ok || c.seen[test+"\x00"+kind+"\x00"+name] {
		return
	}
	c.seen[test+"\x00"+kind+"\x00"+name] = true
	c.items[i].Tests++
}

// observeTicket records what one ticket of a test reached: the intent its
// text was understood as, and the triage block that took it.
func (c *coverage) observeTicket(test string, tk TicketClassification) {
	if tk.Intent != "" {
		c.mark(test, "intent", tk.Intent)
	}
	if tk.Rule != "" {
		c.mark(test, "triage", tk.Rule)
	}
}

// observe records what one turn of a test reached.
func (c *coverage) observe(test string, res *TurnResult, events []dialog.Event) {
	mark := func(kind, name string) { c.mark(test, kind, name) }
	if res.Intent != "" {
		mark("intent", res.Intent)
	}
	for _, ev := range events {
		switch ev.Type {
		case dialog.EventDialogStarted:
			mark("dialog", ev.Dialog)
		case dialog.EventSlotRequested, dialog.EventSlotFilled, dialog.EventSlotCorrected:
			mark("slot", ev.Dialog+"."+ev.Slot)
		case dialog.EventRuleApplied:
			if ev.Rule != "" {
				mark("rule", ev.Rule)
			}
			if ev.Outcome != "" {
				mark("outcome", ev.Dialog+"."+ev.Outcome)
			}
			// A handoff rule records the handoff it replaced: the policy's name
			// when a policy asked for it.
			if ev.Reason != "" {
				mark("handoff", ev.Reason)
			}
		case dialog.EventHandoffRequested:
			// The reason is the policy's name, or the dialog or rule that
			// handed off; only policies are handoff items.
			if ev.Effect != nil && ev.Effect.Handoff != nil {
				mark("handoff", ev.Effect.Handoff.Reason)
			}
		case dialog.EventReplySent:
			if ev.Effect != nil && ev.Effect.Reply != nil && ev.Effect.Reply.Response != "" {
				mark("response", ev.Effect.Reply.Response)
			}
		}
	}
}

func (c *coverage) report() *Coverage {
	out := &Coverage{Items: append([]CoverageItem(nil), c.items...)}
	byKind := map[string]*KindCoverage{}
	for _, k := range CoverageKinds {
		byKind[k] = &KindCoverage{Kind: k}
	}
	for _, it := range out.Items {
		k := byKind[it.Kind]
		k.Total++
		out.Total++
		if it.Reached() {
			k.Reached++
			out.Reached++
		}
	}
	for _, k := range CoverageKinds {
		kc := byKind[k]
		kc.Percent = percent(kc.Reached, kc.Total)
		out.Kinds = append(out.Kinds, *kc)
	}
	out.Percent = percent(out.Reached, out.Total)
	return out
}

func percent(n, total int) float64 {
	if total == 0 {
		return 100
	}
	return 100 * float64(n) / float64(total)
}
