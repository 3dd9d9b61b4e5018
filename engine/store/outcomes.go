package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// OutcomeStore keeps one outcome row per contact, the rules that fired, and
// the scheduled report runs, and aggregates outcome rows for reports. The
// engine writes outcome rows in the commit of the turn that settles a contact
// (TurnRecord.Outcomes); reports group them in the database, never by
// replaying logs. docs/reports.md defines every column and figure.
type OutcomeStore interface {
	// DueContacts lists conversations whose open contact is due to be settled
	// (TurnRecord.ContactDue) at or before before, oldest due first, at most limit.
	DueContacts(ctx context.Context, before time.Time, limit int) ([]string, error)
	// OutcomeTotals aggregates the outcome rows of contacts started in
	// [q.From, q.To), one OutcomeTotals per distinct value of q.By (one in all
	// when By is empty), ordered by those values. ErrInvalid for an unknown dimension.
	OutcomeTotals(ctx context.Context, q OutcomeQuery) ([]OutcomeTotals, error)
	// OutcomeCounts counts contacts started in [q.From, q.To), and those
	// handed off or with a ticket, by q.By: quicker than OutcomeTotals for the
	// dimensions of CountDimensions.
	OutcomeCounts(ctx context.Context, q OutcomeQuery) ([]OutcomeCount, error)
	// RuleTotals counts the rules and outcomes that applied in [q.From, q.To)
	// (by when they applied), by kind and name and q.By, with their amounts.
	RuleTotals(ctx context.Context, q OutcomeQuery) ([]RuleTotals, error)
	// Outcomes pages through outcome rows of contacts started in [f.From, f.To),
	// ordered by (StartedAt, ConversationID, ContactSeq), after f.After.
	Outcomes(ctx context.Context, f OutcomeFilter) ([]Outcome, error)
	// Conversations pages through conversations created in [f.From, f.To),
	// ordered by (CreatedAt, ID), after f.After; without snapshot or events.
	Conversations(ctx context.Context, f ConversationFilter) ([]Conversation, error)

	// ClaimReportRun records that owner is sending report's run for slot (a
	// schedule's period, such as "2026-11-23"), before it sends: true when it
	// may send. A sent run is never claimed again, nor one claimed less than
	// stale ago; a claim older than that (its owner crashed mid-send) is taken
	// over, and so is a run that failed more than stale ago (a retry).
	ClaimReportRun(ctx context.Context, report, slot, owner string, now time.Time, stale time.Duration) (bool, error)
	// FinishReportRun records how a claimed run went: errText "" means sent.
	FinishReportRun(ctx context.Context, report, slot, owner, errText string, at time.Time) error
	// ReportRun returns a run's record (ErrNotFound if none).
	ReportRun(ctx context.Context, report, slot string) (ReportRun, error)
}

// ReplyBucketCount is how many response-time buckets an outcome row counts
// (outcome.ReplyBounds and a last one for slower replies).
const ReplyBucketCount = 8

// QueueWaitBounds are the bounds OutcomeTotals counts queue waits under, for
// percentiles.
var QueueWaitBounds = []time.Duration{10 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 30 * time.Minute, time.Hour}

// Outcome is one contact's outcome row. Durations are milliseconds; negative
// means none (no agent joined, say).
type Outcome struct {
	ConversationID string
	ContactSeq     int64 // the seq of the contact's first event
	LastSeq        int64
	CustomerID     string
	Channel        string
	Language       string
	PolicyVersion  string
	PolicyLabel    string
	StartedAt      time.Time
	EndedAt        time.Time // the last activity
	SettledAt      time.Time
	Day            string // StartedAt's date in the bot's time zone, 2006-01-02
	Week           string // the Monday of that week, 2006-01-02
	Hour           int    // StartedAt's hour in the bot's time zone
	Outcome        string
	Intent         string
	Dialog         string
	Queue          string
	Reason         string
	Agent          string

	Messages       int
	NotUnderstood  int
	KBAnswered     int
	Unanswered     int
	Handoffs       int
	Tickets        int
	TicketQueue    string
	TicketPriority string

	BotReplies   int
	BotReplyMS   int64
	ReplyBuckets [ReplyBucketCount]int

	QueueWaitMS  int64
	FirstReplyMS int64
	HandleMS     int64

	SurveyAsked bool
	Score       int // 1-5; 0: none
	Comment     string
	// FollowUpS is set by the store: seconds from this contact's start to the
	// start of the next contact of the same customer about the same intent; -1 none.
	FollowUpS int64
}

// RuleEvent is a rule or dialog outcome that applied, for business counts.
type RuleEvent struct {
	ConversationID string
	Seq            int64
	At             time.Time
	Kind           string // rule, outcome
	Name           string // the rule, or the outcome's name
	Dialog         string
	Amount         *float64
	Channel        string
	Language       string
	PolicyVersion  string
	Day            string
	Week           string
	Hour           int
}

// OutcomeQuery selects and groups outcome rows.
type OutcomeQuery struct {
	From, To time.Time // zero: unbounded
	By       []string  // OutcomeDimensions
	// FollowUpWindow: a resolved contact counts as first-contact resolved when
	// the customer's next contact about the same intent started later than this
	// (or never). One of FollowUpWindows (ErrInvalid otherwise); zero: 7 days.
	FollowUpWindow time.Duration
}

// FollowUpWindows are the first-contact resolution windows the stores keep
// counts for.
var FollowUpWindows = []time.Duration{24 * time.Hour, 3 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 30 * 24 * time.Hour}

// DefaultFollowUpWindow is the window when OutcomeQuery gives none.
const DefaultFollowUpWindow = 7 * 24 * time.Hour

// CheckFollowUpWindow returns the window to use for w (0: the default), or
// ErrInvalid.
func CheckFollowUpWindow(w time.Duration) (time.Duration, error) {
	if w == 0 {
		return DefaultFollowUpWindow, nil
	}
	if !slices.Contains(FollowUpWindows, w) {
		return 0, fmt.Errorf("%w: the first-contact window is 1, 3, 7, 14 or 30 days, not %s", ErrInvalid, w)
	}
	return w, nil
}

// CountDimensions are the dimensions OutcomeCounts serves quickly: each alone,
// or ticket_queue with ticket_priority.
var CountDimensions = []string{"queue", "reason", "intent", "dialog", "agent", "ticket_queue"}

// OutcomeCount counts contacts in a group.
type OutcomeCount struct {
	Group      []string
	Contacts   int
	HandedOff  int
	WithTicket int
}

// OutcomeDimensions are the columns outcome rows can be grouped by. RuleTotals
// takes those marked in RuleDimensions only.
var OutcomeDimensions = []string{"day", "week", "hour", "channel", "queue", "intent", "dialog", "language", "agent",
	"policy_version", "outcome", "reason", "ticket_queue", "ticket_priority"}

// RuleDimensions are the dimensions rule events carry.
var RuleDimensions = []string{"day", "week", "hour", "channel", "dialog", "language", "policy_version"}

// OutcomeTotals are sums over a group of outcome rows.
type OutcomeTotals struct {
	Group     []string // the values of OutcomeQuery.By
	Contacts  int
	ByOutcome map[string]int // contacts per outcome kind
	// NoFollowUp counts, per outcome kind, contacts with no next contact of
	// the same customer about the same intent within OutcomeQuery.FollowUpWindow.
	NoFollowUp     map[string]int
	HandedOff      int // contacts with a handoff
	WithTicket     int // contacts with a ticket
	Messages       int
	NotUnderstood  int
	KBAnswered     int
	Unanswered     int
	BotReplies     int
	BotReplyMS     int64
	ReplyBuckets   [ReplyBucketCount]int
	QueueWaits     int
	QueueWaitMS    int64
	QueueWaitUnder []int // per QueueWaitBounds: waits at most that long
	FirstReplies   int
	FirstReplyMS   int64
	Handled        int
	HandleMS       int64
	SurveysAsked   int
	Scores         int
	ScoreSum       int
	ScoreCounts    [5]int // scores 1..5
}

// RuleTotals count one rule or outcome in a group.
type RuleTotals struct {
	Group     []string
	Kind      string
	Name      string
	Dialog    string
	Count     int
	Amounts   int // how many had an amount
	AmountSum float64
}

// OutcomeFilter pages outcome rows.
type OutcomeFilter struct {
	From, To time.Time
	After    *Outcome // the last row of the previous page; nil: from the start
	Limit    int      // 0: 1000
}

// ConversationFilter pages conversations.
type ConversationFilter struct {
	From, To time.Time
	After    *Conversation
	Limit    int // 0: 1000
}

// ReportRun is one scheduled report's run.
type ReportRun struct {
	Report     string
	Slot       string
	Owner      string
	Status     string // claimed, sent, failed
	ClaimedAt  time.Time
	FinishedAt time.Time
	Error      string
}

// ContactState is what a turn keeps of its conversation's contact: the fold
// state (opaque to the store) and when the sweeper should settle it.
type ContactState struct {
	State json.RawMessage
	Due   time.Time // zero: never
}

// MergeOutcomeTotals adds up consecutive totals of the same group (the stores
// aggregate per outcome kind and merge here). With total set, an empty input
// gives one zero total, so a period without contacts still has a row.
func MergeOutcomeTotals(parts []OutcomeTotals, total bool) []OutcomeTotals {
	var out []OutcomeTotals
	for _, p := range parts {
		n := len(out)
		if n == 0 || !slices.Equal(out[n-1].Group, p.Group) {
			t := p
			t.ByOutcome, t.NoFollowUp = map[string]int{}, map[string]int{}
			t.QueueWaitUnder = slices.Clone(p.QueueWaitUnder)
			t.Contacts = 0
			out = append(out, t)
			n++
			out[n-1].add(p, true)
			continue
		}
		out[n-1].add(p, false)
	}
	if len(out) == 0 && total {
		out = append(out, OutcomeTotals{ByOutcome: map[string]int{}, NoFollowUp: map[string]int{}, QueueWaitUnder: make([]int, len(QueueWaitBounds))})
	}
	return out
}

// add adds p's figures to t; first: t already holds p's sums (but not its per-kind counts).
func (t *OutcomeTotals) add(p OutcomeTotals, first bool) {
	for k, n := range p.ByOutcome {
		t.ByOutcome[k] += n
	}
	for k, n := range p.NoFollowUp {
		t.NoFollowUp[k] += n
	}
	t.Contacts += p.Contacts
	if first {
		return
	}
	t.HandedOff += p.HandedOff
	t.WithTicket += p.WithTicket
	t.Messages += p.Messages
	t.NotUnderstood += p.NotUnderstood
	t.KBAnswered += p.KBAnswered
	t.Unanswered += p.Unanswered
	t.BotReplies += p.BotReplies
	t.BotReplyMS += p.BotReplyMS
	for i := range t.ReplyBuckets {
		t.ReplyBuckets[i] += p.ReplyBuckets[i]
	}
	t.QueueWaits += p.QueueWaits
	t.QueueWaitMS += p.QueueWaitMS
	for i := range t.QueueWaitUnder {
		t.QueueWaitUnder[i] += p.QueueWaitUnder[i]
	}
	t.FirstReplies += p.FirstReplies
	t.FirstReplyMS += p.FirstReplyMS
	t.Handled += p.Handled
	t.HandleMS += p.HandleMS
	t.SurveysAsked += p.SurveysAsked
	t.Scores += p.Scores
	t.ScoreSum += p.ScoreSum
	for i := range t.ScoreCounts {
		t.ScoreCounts[i] += p.ScoreCounts[i]
	}
}

// MergeOutcomeCounts adds up counts of the same group, drops empty ones and
// orders them by group.
func MergeOutcomeCounts(parts []OutcomeCount) []OutcomeCount {
	slices.SortStableFunc(parts, func(a, b OutcomeCount) int { return slices.Compare(a.Group, b.Group) })
	var out []OutcomeCount
	for _, p := range parts {
		if n := len(out); n > 0 && slices.Equal(out[n-1].Group, p.Group) {
			out[n-1].Contacts += p.Contacts
			out[n-1].HandedOff += p.HandedOff
			out[n-1].WithTicket += p.WithTicket
			continue
		}
		out = append(out, p)
	}
	return slices.DeleteFunc(out, func(c OutcomeCount) bool { return c.Contacts == 0 })
}

// MergeRuleTotals adds up totals of the same group, kind, name and dialog,
// drops empty ones, and orders them so.
func MergeRuleTotals(parts []RuleTotals) []RuleTotals {
	key := func(r RuleTotals) []string { return append(slices.Clone(r.Group), r.Kind, r.Name, r.Dialog) }
	slices.SortStableFunc(parts, func(a, b RuleTotals) int { return slices.Compare(key(a), key(b)) })
	var out []RuleTotals
	for _, p := range parts {
		if n := len(out); n > 0 && slices.Equal(key(out[n-1]), key(p)) {
			out[n-1].Count += p.Count
			out[n-1].Amounts += p.Amounts
			out[n-1].AmountSum += p.AmountSum
			continue
		}
		out = append(out, p)
	}
	return slices.DeleteFunc(out, func(r RuleTotals) bool { return r.Count == 0 })
}
