package plan

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/dialog"
)

// Conversation is what the new policies change in one recorded conversation.
type Conversation struct {
	ID            string    `json:"id"`
	Started       time.Time `json:"started"`
	PolicyVersion string    `json:"policy_version,omitempty"` // the recorded one
	PolicyLabel   string    `json:"policy_label,omitempty"`
	Turns         int       `json:"turns"` // customer messages
	// Changed: an outcome, a reply or what the bot did (rules, tickets,
	// handoffs, calls) differs, or the replay needs a live answer.
	Changed bool `json:"changed"`
	// NeedsLiveAnswer is the call the log never recorded; the replay stopped there.
	NeedsLiveAnswer *LiveCall `json:"needs_live_answer,omitempty"`
	// Mocked lists the calls mock blocks answered (with -mocks).
	Mocked []string `json:"mocked,omitempty"`
	// Error: the replay broke off (a loop in the bot's actions).
	Error string `json:"error,omitempty"`
	// Outcomes are its contacts' outcomes, recorded and replayed.
	Outcomes        []OutcomeChange `json:"outcomes"`
	FirstDifference *TurnDiff       `json:"first_difference,omitempty"`

	rules     map[ruleKey]*ruleUse
	tickets   map[string]*[2]int // by queue: opened in the recording, in the replay
	intents   []intentShift
	noProfile bool
}

// OutcomeChange is one contact's outcome before and after ("" where the
// other side has no contact starting at that turn).
type OutcomeChange struct {
	Turn   int    `json:"turn"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// TurnDiff is the first turn whose replies or actions differ, and why.
type TurnDiff struct {
	Turn   int      `json:"turn"` // the customer message (1 = the first)
	From   string   `json:"from"` // customer, agent, hand_back, satisfaction
	Text   string   `json:"text"` // what they said or did
	Before []string `json:"before"`
	After  []string `json:"after"`
	Why    []string `json:"why"`
}

type ruleUse struct {
	before, after             int
	amountBefore, amountAfter float64
}

type intentShift struct {
	before, after, text string
}

// compare lines the replay up with the recording.
func (r *replay) compare() *Conversation {
	rec := r.rec
	started := rec.CreatedAt
	if len(rec.Events) > 0 {
		started = rec.Events[0].At
	}
	c := &Conversation{ID: rec.ID, Started: started, PolicyVersion: rec.PolicyVersion, PolicyLabel: rec.PolicyLabel, Mocked: r.mocked, NeedsLiveAnswer: r.live, rules: map[ruleKey]*ruleUse{}, tickets: map[string]*[2]int{}}
	for _, in := range r.inputs {
		if in.kind == fromCustomer {
			c.Turns++
		}
	}
	if r.err != nil {
		c.Error = r.err.Error()
	}
	// Only the inputs replayed are compared: up to where the replay stopped.
	compared := len(r.spans)
	oldStates := statesBefore(rec.Events, r.inputs[:compared])
	for i := 0; i < compared; i++ {
		in := r.inputs[i]
		old := traceOf(rec.Events[in.first:in.end])
		var now turnTrace
		if !r.skipped[i] {
			now = traceOf(r.events[r.spans[i][0]:r.spans[i][1]])
		}
		for _, h := range old.rules {
			u := c.use(h.key())
			u.before++
			u.amountBefore += amountOf(h)
		}
		for _, h := range now.rules {
			u := c.use(h.key())
			u.after++
			u.amountAfter += amountOf(h)
		}
		for side, queues := range [2][]string{old.tickets, now.tickets} {
			for _, q := range queues {
				if c.tickets[q] == nil {
					c.tickets[q] = &[2]int{}
				}
				c.tickets[q][side]++
			}
		}
		if in.kind == fromCustomer && in.message != nil && !r.skipped[i] && reads(oldStates[i], rec.Events[in.first:in.end]) && reads(r.statesBefore[i], r.events[r.spans[i][0]:r.spans[i][1]]) && old.intent != now.intent {
			c.intents = append(c.intents, intentShift{before: old.intent, after: now.intent, text: in.message.Text})
		}
		last := i == compared-1 && (r.live != nil || r.err != nil)
		if c.FirstDifference == nil && (!sameReplies(old.replies, now.replies) || !sameActions(old, now) || last) {
			c.FirstDifference = r.diff(i, old, now)
		}
	}
	c.Outcomes = r.outcomes()
	c.Changed = c.FirstDifference != nil || r.live != nil || r.err != nil
	for _, o := range c.Outcomes {
		if o.Before != o.After {
			c.Changed = true
		}
	}
	if c.Changed && c.FirstDifference == nil {
		c.FirstDifference = r.outcomeOnlyDiff()
	}
	return c
}

func (c *Conversation) use(k ruleKey) *ruleUse {
	u := c.rules[k]
	if u == nil {
		u = &ruleUse{}
		c.rules[k] = u
	}
	return u
}

func amountOf(h ruleHit) float64 {
	if h.amount == nil {
		return 0
	}
	return *h.amount
}

// statesBefore folds the log into the dialog state before each input.
func statesBefore(events []dialog.Event, inputs []input) []dialog.State {
	out := make([]dialog.State, len(inputs))
	var st dialog.State
	next := 0
	for i, in := range inputs {
		for ; next < in.first; next++ {
			st = dialog.Apply(st, events[next])
		}
		out[i] = st
	}
	return out
}

// reads says whether the bot read a customer message for its meaning: not
// when a person has the conversation, nor when it answers a survey.
func reads(before dialog.State, events []dialog.Event) bool {
	if before.HandedOff {
		return false
	}
	for _, ev := range events {
		if ev.Type == dialog.EventSatisfactionRecorded {
			return false
		}
	}
	return true
}

// outcomes pairs the contacts of both sides by the turn that started them.
func (r *replay) outcomes() []OutcomeChange {
	bot := r.p.bot
	oldContacts := foldContacts(bot, r.rec.Events, func(ev int) int { return inputAt(r.inputs, ev) })
	for i := range oldContacts {
		if kind, ok := r.rec.Outcomes[oldContacts[i].seq]; ok {
			oldContacts[i].outcome = kind
		}
	}
	newContacts := foldContacts(bot, r.events, func(ev int) int {
		for i, sp := range r.spans {
			if ev >= sp[0] && ev < sp[1] {
				return i
			}
		}
		return len(r.spans) - 1
	})
	stopped := r.live != nil || r.err != nil
	if stopped && len(newContacts) > 0 {
		// The contact in progress where the replay stopped has no outcome yet.
		newContacts[len(newContacts)-1].outcome = needsLive
	}
	byInput := map[int]*OutcomeChange{}
	var order []int
	at := func(input int) *OutcomeChange {
		if o := byInput[input]; o != nil {
			return o
		}
		o := &OutcomeChange{Turn: r.turnOf(input)}
		byInput[input] = o
		order = append(order, input)
		return o
	}
	for _, c := range oldContacts {
		o := at(c.input)
		o.Before = c.outcome
		if stopped && c.input >= len(r.spans)-1 {
			o.After = needsLive
		}
	}
	for _, c := range newContacts {
		at(c.input).After = c.outcome
	}
	slices.Sort(order)
	out := make([]OutcomeChange, 0, len(order))
	for _, i := range order {
		out = append(out, *byInput[i])
	}
	return out
}

func inputAt(inputs []input, ev int) int {
	for i, in := range inputs {
		if ev >= in.first && ev < in.end {
			return i
		}
	}
	return len(inputs) - 1
}

// turnOf is the customer message number of input i (1-based).
func (r *replay) turnOf(i int) int {
	if i < 0 || i >= len(r.turns) {
		if len(r.turns) == 0 {
			return 0
		}
		return r.turns[len(r.turns)-1]
	}
	return r.turns[i]
}

// diff describes input i, whose replies or actions differ.
func (r *replay) diff(i int, old, now turnTrace) *TurnDiff {
	in := r.inputs[i]
	d := &TurnDiff{Turn: r.turnOf(i), Before: replyTexts(old.replies), After: replyTexts(now.replies)}
	switch in.kind {
	case fromCustomer:
		d.From = "customer"
		if in.message != nil {
			d.Text = in.message.Text
		}
	case fromAgent:
		d.From, d.Text = "agent", in.agent.Kind+" "+in.agent.Text
	case handBack:
		d.From, d.Text = "hand_back", in.handBack.Note
	case satisfaction:
		d.From, d.Text = "satisfaction", fmt.Sprintf("%d %s", in.satisfaction.Score, in.satisfaction.Comment)
	case approval:
		d.From, d.Text = "approval", in.approval.Decision+" "+in.approval.Note
	case ticketUpdate:
		d.From, d.Text = "ticket", in.ticket.ID+" "+in.ticket.Event
	}
	d.Text = strings.TrimSpace(d.Text)
	d.Why = r.why(i, old, now)
	return d
}

// outcomeOnlyDiff explains a conversation whose replies are all the same but
// whose outcome is not: the first turn whose rules, handoffs or tickets
// differ, else the policies' own definitions (resolves, answers).
func (r *replay) outcomeOnlyDiff() *TurnDiff {
	for i := range r.spans {
		in := r.inputs[i]
		old := traceOf(r.rec.Events[in.first:in.end])
		var now turnTrace
		if !r.skipped[i] {
			now = traceOf(r.events[r.spans[i][0]:r.spans[i][1]])
		}
		if why := r.why(i, old, now); len(why) > 0 && !(len(why) == 1 && why[0] == whyState) {
			return r.diff(i, old, now)
		}
	}
	return &TurnDiff{Turn: r.turnOf(len(r.spans) - 1), From: "customer", Why: []string{"the replies are the same; the outcome differs because of what the policies count as resolved (resolves = ..., answers)"}}
}
