package plan

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Report is what `parley plan` prints; its JSON is `parley plan -json`.
type Report struct {
	Bot           string    `json:"bot"`
	PolicyVersion string    `json:"policy_version"` // of the new policies
	From          time.Time `json:"from,omitzero"`
	To            time.Time `json:"to,omitzero"`
	GeneratedAt   time.Time `json:"generated_at"`
	Mocks         bool      `json:"mocks"` // calls never recorded were offered to mock blocks

	// Conversations counts those replayed; Changed those whose outcome,
	// replies or actions (rules, tickets, handoffs, calls) differ
	// (NeedsLiveAnswer included): the figure CI gates on.
	Conversations   int `json:"conversations"`
	Changed         int `json:"changed"`
	NeedsLiveAnswer int `json:"needs_live_answer"`
	Mocked          int `json:"mocked"` // conversations in which a mock answered
	Errors          int `json:"errors"`
	// Purged conversations have no log left to replay (retention).
	Purged   int `json:"purged"`
	Contacts int `json:"contacts"`

	// Transitions count contacts by their recorded and replayed outcome,
	// changed ones first; "" is no contact starting at that turn.
	Transitions []Transition `json:"transitions"`
	Rules       []RuleEffect `json:"rules"`
	// Tickets count the tickets opened, by queue, in the recording and in
	// the replay (up to where each replay stopped).
	Tickets []TicketEffect `json:"tickets"`
	Intents []IntentChange `json:"intents"`
	// RecordedVersions are the policy versions the conversations were served by.
	RecordedVersions []VersionCount `json:"recorded_versions"`
	// Notes say what the recorded logs lack for a faithful replay.
	Notes []string `json:"notes,omitempty"`
	// Changes lists every changed conversation, oldest first.
	Changes []*Conversation `json:"changes"`
}

// Transition counts contacts that went from one outcome to another.
type Transition struct {
	Before string `json:"before"`
	After  string `json:"after"`
	Count  int    `json:"count"`
}

// RuleEffect is what the change does to one rule or dialog outcome: how often
// it applied, in how many conversations, and the amounts it carried.
type RuleEffect struct {
	Kind                string  `json:"kind"` // rule, outcome
	Name                string  `json:"name"`
	Dialog              string  `json:"dialog,omitempty"`
	Before              int     `json:"before"`
	After               int     `json:"after"`
	ConversationsBefore int     `json:"conversations_before"`
	ConversationsAfter  int     `json:"conversations_after"`
	AmountBefore        float64 `json:"amount_before"`
	AmountAfter         float64 `json:"amount_after"`
}

// TicketEffect is what the change does to the tickets of one queue.
type TicketEffect struct {
	Queue  string `json:"queue"`
	Before int    `json:"before"`
	After  int    `json:"after"`
}

// IntentChange counts customer messages the new policies recognise as a
// different intent ("" is not understood).
type IntentChange struct {
	Before   string   `json:"before"`
	After    string   `json:"after"`
	Count    int      `json:"count"`
	Examples []string `json:"examples"`
}

// VersionCount is how many conversations a policy version served.
type VersionCount struct {
	Version       string `json:"version"`
	Label         string `json:"label,omitempty"`
	Conversations int    `json:"conversations"`
}

// aggregate collects conversation results into a report, in the order added.
type aggregate struct {
	r           *Report
	transitions map[[2]string]int
	rules       map[ruleKey]*RuleEffect
	tickets     map[string]*TicketEffect
	intents     map[[2]string]*IntentChange
	versions    map[[2]string]int
	noProfile   int
}

func newAggregate(r *Report) *aggregate {
	return &aggregate{r: r, transitions: map[[2]string]int{}, rules: map[ruleKey]*RuleEffect{}, tickets: map[string]*TicketEffect{}, intents: map[[2]string]*IntentChange{}, versions: map[[2]string]int{}}
}

func (a *aggregate) add(c *Conversation) {
	r := a.r
	r.Conversations++
	a.versions[[2]string{c.PolicyVersion, c.PolicyLabel}]++
	if c.Changed {
		r.Changed++
		r.Changes = append(r.Changes, c)
	}
	if c.NeedsLiveAnswer != nil {
		r.NeedsLiveAnswer++
	}
	if len(c.Mocked) > 0 {
		r.Mocked++
	}
	if c.Error != "" {
		r.Errors++
	}
	if c.noProfile {
		a.noProfile++
	}
	for _, o := range c.Outcomes {
		r.Contacts++
		a.transitions[[2]string{o.Before, o.After}]++
	}
	for k, u := range c.rules {
		e := a.rules[k]
		if e == nil {
			e = &RuleEffect{Kind: k.kind, Name: k.name, Dialog: k.dialog}
			a.rules[k] = e
		}
		e.Before += u.before
		e.After += u.after
		e.AmountBefore += u.amountBefore
		e.AmountAfter += u.amountAfter
		if u.before > 0 {
			e.ConversationsBefore++
		}
		if u.after > 0 {
			e.ConversationsAfter++
		}
	}
	for q, n := range c.tickets {
		e := a.tickets[q]
		if e == nil {
			e = &TicketEffect{Queue: q}
			a.tickets[q] = e
		}
		e.Before += n[0]
		e.After += n[1]
	}
	for _, s := range c.intents {
		k := [2]string{s.before, s.after}
		ic := a.intents[k]
		if ic == nil {
			ic = &IntentChange{Before: s.before, After: s.after, Examples: []string{}}
			a.intents[k] = ic
		}
		ic.Count++
		if len(ic.Examples) < 3 && !slices.Contains(ic.Examples, s.text) {
			ic.Examples = append(ic.Examples, s.text)
		}
	}
}

// finish sorts what was collected: the largest changes first.
func (a *aggregate) finish() {
	r := a.r
	r.Transitions = []Transition{}
	for k, n := range a.transitions {
		r.Transitions = append(r.Transitions, Transition{Before: k[0], After: k[1], Count: n})
	}
	slices.SortFunc(r.Transitions, func(x, y Transition) int {
		return cmp.Or(cmpBool(x.Before == x.After, y.Before == y.After), cmp.Compare(y.Count, x.Count), strings.Compare(x.Before, y.Before), strings.Compare(x.After, y.After))
	})
	r.Rules = []RuleEffect{}
	for _, e := range a.rules {
		r.Rules = append(r.Rules, *e)
	}
	slices.SortFunc(r.Rules, func(x, y RuleEffect) int {
		dx, dy := abs(x.ConversationsAfter-x.ConversationsBefore), abs(y.ConversationsAfter-y.ConversationsBefore)
		return cmp.Or(cmp.Compare(dy, dx), cmp.Compare(y.After, x.After), strings.Compare(x.Kind, y.Kind), strings.Compare(x.Dialog, y.Dialog), strings.Compare(x.Name, y.Name))
	})
	r.Tickets = []TicketEffect{}
	for _, e := range a.tickets {
		r.Tickets = append(r.Tickets, *e)
	}
	slices.SortFunc(r.Tickets, func(x, y TicketEffect) int {
		return cmp.Or(cmp.Compare(abs(y.After-y.Before), abs(x.After-x.Before)), strings.Compare(x.Queue, y.Queue))
	})
	r.Intents = []IntentChange{}
	for _, ic := range a.intents {
		r.Intents = append(r.Intents, *ic)
	}
	slices.SortFunc(r.Intents, func(x, y IntentChange) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), strings.Compare(x.Before, y.Before), strings.Compare(x.After, y.After))
	})
	r.RecordedVersions = []VersionCount{}
	for k, n := range a.versions {
		r.RecordedVersions = append(r.RecordedVersions, VersionCount{Version: k[0], Label: k[1], Conversations: n})
	}
	slices.SortFunc(r.RecordedVersions, func(x, y VersionCount) int {
		return cmp.Or(cmp.Compare(y.Conversations, x.Conversations), strings.Compare(x.Version, y.Version))
	})
	if r.Changes == nil {
		r.Changes = []*Conversation{}
	}
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
