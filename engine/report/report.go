// Package report builds Parley's reports from outcome rows: the KPIs of a
// period, broken down by the dimensions asked for, with the business rules
// that applied, satisfaction and its dissatisfied comments grouped into
// themes, and the questions nobody answered. Every figure is aggregated by the
// store (GROUP BY in SQL), never by replaying logs; the definitions are in
// kpi.go and docs/reports.md. Formats: format.go (table, CSV, JSON), xlsx.go,
// html.go, pdf.go.
package report

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/parleyhq/parley/dialog/outcome"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/knowledge"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

// Options choose a report's period and breakdown.
type Options struct {
	From, To time.Time // the period: contacts started in [From, To)
	By       []string  // store.OutcomeDimensions
	// FollowUpWindow for first-contact resolution; zero: 7 days.
	FollowUpWindow time.Duration
	// Themes groups dissatisfied comments and unanswered questions (it embeds
	// them); off for quick reports such as the dashboard's.
	Themes bool
	Now    time.Time // when the report is made; zero: time.Now
}

// Report is everything a report shows. Its JSON is what `parley report
// -format json` prints.
type Report struct {
	Bot           string    `json:"bot"`
	PolicyVersion string    `json:"policy_version"`
	From          time.Time `json:"from"`
	To            time.Time `json:"to"`
	TimeZone      string    `json:"time_zone"`
	GeneratedAt   time.Time `json:"generated_at"`
	FollowUpDays  float64   `json:"follow_up_window_days"`

	KPIs    KPIs               `json:"kpis"`
	Targets map[string]float64 `json:"targets"`
	By      []string           `json:"by,omitempty"`
	Groups  []Group            `json:"groups,omitempty"`
	// Versions puts the policy versions side by side, with significance
	// tests, when the report is broken down by policy_version (compare.go).
	Versions *VersionComparison `json:"versions,omitempty"`

	Days  []Day   `json:"days"`
	Hours [24]int `json:"hours"` // contacts by hour of day they started

	HandoffsByQueue  []Count     `json:"handoffs_by_queue"`
	HandoffsByReason []Count     `json:"handoffs_by_reason"`
	Tickets          []TicketRow `json:"tickets"`
	Intents          []Count     `json:"intents"`
	Rules            []RuleRow   `json:"rules"`

	Dissatisfied []Theme `json:"dissatisfaction_themes"`
	Unanswered   []Theme `json:"top_unanswered"`
}

// Group is one value of the breakdown with its figures.
type Group struct {
	Values map[string]string `json:"group"`
	Key    []string          `json:"-"`
	KPIs   KPIs              `json:"kpis"`
}

// Day is one day's headline figures, for trends.
type Day struct {
	Day             string   `json:"day"`
	Conversations   int      `json:"conversations"`
	ContainmentRate *float64 `json:"containment_rate"`
	HandoffRate     *float64 `json:"handoff_rate"`
	CSATAverage     *float64 `json:"csat_average"`
}

// Count is a named number.
type Count struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// TicketRow counts contacts with a ticket by queue and priority.
type TicketRow struct {
	Queue    string `json:"queue"`
	Priority string `json:"priority"`
	Count    int    `json:"count"`
}

// RuleRow counts a rule or dialog outcome that applied, with its amounts.
type RuleRow struct {
	Kind   string  `json:"kind"` // rule, outcome
	Name   string  `json:"name"`
	Dialog string  `json:"dialog,omitempty"`
	Count  int     `json:"count"`
	Amount float64 `json:"amount"` // the sum of the amounts given
}

// Theme is a group of similar texts: dissatisfied comments or unanswered questions.
type Theme struct {
	Count    int      `json:"count"`
	Example  string   `json:"example"`
	Examples []string `json:"examples,omitempty"`
}

// maxThemeTexts bounds the texts grouped into themes (grouping compares pairs).
const maxThemeTexts = 3000

// Build makes the report of bot's contacts from st.
func Build(ctx context.Context, st store.Store, bot *policies.Bot, opts Options) (*Report, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	window, err := store.CheckFollowUpWindow(opts.FollowUpWindow)
	if err != nil {
		return nil, err
	}
	r := &Report{
		Bot: bot.Name, PolicyVersion: bot.Version, From: opts.From, To: opts.To, TimeZone: bot.Location().String(),
		GeneratedAt: now, FollowUpDays: window.Hours() / 24, Targets: Targets, By: opts.By,
	}
	q := func(by ...string) store.OutcomeQuery {
		return store.OutcomeQuery{From: opts.From, To: opts.To, By: by, FollowUpWindow: window}
	}
	var total []store.OutcomeTotals
	var groups, days, hours []store.OutcomeTotals
	var queues, reasons, tickets, intents []store.OutcomeCount
	var rules []store.RuleTotals
	// The aggregations are independent scans: run them side by side (SQLite
	// readers run in parallel beside the writer, PostgreSQL on its pool).
	g, gctx := errgroup.WithContext(ctx)
	totals := func(dst *[]store.OutcomeTotals, by ...string) {
		g.Go(func() error {
			var err error
			*dst, err = st.OutcomeTotals(gctx, q(by...))
			return err
		})
	}
	totals(&total)
	if len(opts.By) > 0 {
		totals(&groups, opts.By...)
	}
	totals(&days, "day")
	totals(&hours, "hour")
	counted := func(dst *[]store.OutcomeCount, by ...string) {
		g.Go(func() error {
			var err error
			*dst, err = st.OutcomeCounts(gctx, q(by...))
			return err
		})
	}
	counted(&queues, "queue")
	counted(&reasons, "reason")
	counted(&tickets, "ticket_queue", "ticket_priority")
	counted(&intents, "intent")
	var byVersion []store.OutcomeTotals
	var rulesByVersion []store.RuleTotals
	if slices.Contains(opts.By, "policy_version") {
		totals(&byVersion, "policy_version")
		g.Go(func() error {
			var err error
			rulesByVersion, err = st.RuleTotals(gctx, store.OutcomeQuery{From: opts.From, To: opts.To, By: []string{"policy_version"}})
			return err
		})
	}
	g.Go(func() error {
		var err error
		rules, err = st.RuleTotals(gctx, store.OutcomeQuery{From: opts.From, To: opts.To})
		return err
	})
	if opts.Themes {
		g.Go(func() error {
			var err error
			r.Dissatisfied, err = dissatisfied(gctx, st, bot, opts.From, opts.To, maxThemeTexts)
			return err
		})
		g.Go(func() error {
			var err error
			r.Unanswered, err = unanswered(gctx, st, bot, opts.From, opts.To)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	r.KPIs = kpis(total[0])
	// err is the one declared above for the aggregations.
	if r.Versions, err = compareVersions(ctx, st, byVersion, rulesByVersion); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	for _, t := range groups {
		gr := Group{Values: map[string]string{}, Key: t.Group, KPIs: kpis(t)}
		for i, d := range opts.By {
			gr.Values[d] = t.Group[i]
		}
		r.Groups = append(r.Groups, gr)
	}
	for _, t := range days {
		k := kpis(t)
		r.Days = append(r.Days, Day{Day: t.Group[0], Conversations: t.Contacts, ContainmentRate: k.ContainmentRate, HandoffRate: k.HandoffRate, CSATAverage: k.CSATAverage})
	}
	for _, t := range hours {
		var h int
		if _, err := fmt.Sscan(t.Group[0], &h); err == nil && h >= 0 && h < 24 {
			r.Hours[h] += t.Contacts
		}
	}
	r.HandoffsByQueue = counts(queues, func(c store.OutcomeCount) int { return c.HandedOff })
	r.HandoffsByReason = counts(reasons, func(c store.OutcomeCount) int { return c.HandedOff })
	r.Intents = counts(intents, func(c store.OutcomeCount) int { return c.Contacts })
	for _, t := range tickets {
		if t.WithTicket > 0 {
			r.Tickets = append(r.Tickets, TicketRow{Queue: t.Group[0], Priority: t.Group[1], Count: t.WithTicket})
		}
	}
	sort.SliceStable(r.Tickets, func(i, j int) bool { return r.Tickets[i].Count > r.Tickets[j].Count })
	for _, t := range rules {
		r.Rules = append(r.Rules, RuleRow{Kind: t.Kind, Name: t.Name, Dialog: t.Dialog, Count: t.Count, Amount: t.AmountSum})
	}
	sort.SliceStable(r.Rules, func(i, j int) bool { return r.Rules[i].Count > r.Rules[j].Count })
	return r, nil
}

// counts lists the groups with a non-zero count, largest first; "" is "(none)".
func counts(ts []store.OutcomeCount, n func(store.OutcomeCount) int) []Count {
	var out []Count
	for _, t := range ts {
		if c := n(t); c > 0 {
			out = append(out, Count{Name: or(t.Group[0], "(none)"), Count: c})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// dissatisfied groups the comments of scores 1 and 2 given in the period, the
// most recent limit of them.
func dissatisfied(ctx context.Context, st store.Store, bot *policies.Bot, from, to time.Time, limit int) ([]Theme, error) {
	rows, err := st.Satisfaction(ctx, store.SatisfactionFilter{Since: from, Until: to, MaxScore: 2, WithComment: true, Limit: limit})
	if err != nil {
		return nil, err
	}
	masker := bot.Masker()
	var texts []string
	for _, s := range rows {
		if strings.TrimSpace(s.Comment) != "" && s.Comment != store.Purged {
			texts = append(texts, masker.Text(s.Comment))
		}
	}
	return themes(ctx, bot, texts)
}

// unanswered groups the questions neither an intent nor the knowledge base answered.
func unanswered(ctx context.Context, st store.Store, bot *policies.Bot, from, to time.Time) ([]Theme, error) {
	rows, err := st.Unanswered(ctx, store.UnansweredFilter{Since: from, Limit: 4 * maxThemeTexts})
	if err != nil {
		return nil, err
	}
	masker := bot.Masker()
	var texts []string
	for _, u := range rows {
		if to.IsZero() || u.At.Before(to) {
			texts = append(texts, masker.Text(u.Question))
		}
	}
	out, err := themes(ctx, bot, texts)
	if len(out) > 10 {
		out = out[:10]
	}
	return out, err
}

// themes groups similar texts with the grouping behind `parley kb unanswered`.
func themes(ctx context.Context, bot *policies.Bot, texts []string) ([]Theme, error) {
	if len(texts) == 0 {
		return nil, nil
	}
	if len(texts) > maxThemeTexts {
		texts = texts[len(texts)-maxThemeTexts:] // the most recent
	}
	emb, err := engine.NewEmbedder(ctx, bot, texts)
	if err != nil {
		return nil, err
	}
	groups, err := knowledge.Group(ctx, texts, emb, 0.5)
	if err != nil {
		return nil, err
	}
	out := make([]Theme, 0, len(groups))
	for _, g := range groups {
		t := Theme{Count: len(g), Example: texts[g[0]]}
		seen := map[string]bool{t.Example: true}
		for _, i := range g[1:] {
			if len(t.Examples) == 3 {
				break
			}
			if !seen[texts[i]] {
				seen[texts[i]] = true
				t.Examples = append(t.Examples, texts[i])
			}
		}
		out = append(out, t)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out, nil
}

// OutcomeKinds are the outcome kinds, in the order reports show them.
func OutcomeKinds() []string { return slices.Clone(outcome.Kinds) }
