package report

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/parleyhq/parley/dialog/outcome"
	"github.com/parleyhq/parley/engine/store"
)

// Significance is the p-value under which a difference counts as
// significant: 5%, two-sided.
const Significance = 0.05

// VersionComparison puts the policy versions of a period side by side (a
// report broken down by policy_version): containment, handoff rate,
// satisfaction and not-understood rate, each against a baseline with a
// significance test and the numbers it rests on.
type VersionComparison struct {
	// Baseline is the version the others are compared with: the current
	// one of the rollout the store records, else the one with the most
	// conversations.
	Baseline string           `json:"baseline"`
	Versions []VersionFigures `json:"versions"` // the baseline first
}

// VersionFigures are one version's figures and their differences from the
// baseline (none for the baseline itself).
type VersionFigures struct {
	Version       string       `json:"version"`
	Label         string       `json:"label,omitempty"`
	Conversations int          `json:"conversations"`
	KPIs          KPIs         `json:"kpis"`
	Differences   []Difference `json:"differences,omitempty"`
	// Rules are the rules and outcomes that applied in this version's
	// conversations, with their amounts: what a change of a rule moves.
	Rules []RuleRow `json:"rules"`
}

// Difference is one figure of a version against the baseline.
type Difference struct {
	KPI        string   `json:"kpi"` // containment_rate, handoff_rate, csat_average, not_understood_rate
	Baseline   *float64 `json:"baseline"`
	Value      *float64 `json:"value"`
	Difference *float64 `json:"difference"` // value - baseline
	// Test is the test made: "two-proportion z" for rates, "Welch t" for
	// the satisfaction average. PValue is its two-sided p-value; nil when a
	// side has too little to test.
	Test        string   `json:"test"`
	Statistic   *float64 `json:"statistic"`
	PValue      *float64 `json:"p_value"`
	Significant bool     `json:"significant"` // PValue < Significance
	// N and BaselineN are what each side rests on: conversations for the
	// rates of conversations, messages for the not-understood rate, survey
	// answers for satisfaction.
	N         int    `json:"n"`
	BaselineN int    `json:"baseline_n"`
	Unit      string `json:"unit"` // conversations, messages, answers
}

// compareVersions compares the versions of totals grouped by policy_version.
func compareVersions(ctx context.Context, st store.Store, totals []store.OutcomeTotals, rules []store.RuleTotals) (*VersionComparison, error) {
	if len(totals) < 2 {
		return nil, nil
	}
	labels := map[string]string{}
	baseline := ""
	r, err := st.Rollout(ctx)
	switch {
	case err == nil:
		labels[r.Current.Version] = r.Current.Label
		labels[r.Candidate.Version] = r.Candidate.Label
		baseline = r.Current.Version
	case !errors.Is(err, store.ErrNotFound):
		return nil, fmt.Errorf("rollout: %w", err)
	}
	byVersion := map[string]store.OutcomeTotals{}
	for _, t := range totals {
		byVersion[t.Group[0]] = t
	}
	if _, ok := byVersion[baseline]; !ok {
		baseline = ""
		for _, t := range totals {
			if b, ok := byVersion[baseline]; !ok || t.Contacts > b.Contacts {
				baseline = t.Group[0]
			}
		}
	}
	base := byVersion[baseline]
	c := &VersionComparison{Baseline: baseline}
	ordered := slices.Clone(totals)
	slices.SortStableFunc(ordered, func(a, b store.OutcomeTotals) int {
		return cmp.Or(cmpFirst(a.Group[0] == baseline, b.Group[0] == baseline), cmp.Compare(b.Contacts, a.Contacts))
	})
	for _, t := range ordered {
		v := VersionFigures{Version: t.Group[0], Label: labels[t.Group[0]], Conversations: t.Contacts, KPIs: kpis(t), Rules: []RuleRow{}}
		if v.Version != baseline {
			v.Differences = differences(base, t)
		}
		for _, rt := range rules {
			if len(rt.Group) > 0 && rt.Group[0] == v.Version {
				v.Rules = append(v.Rules, RuleRow{Kind: rt.Kind, Name: rt.Name, Dialog: rt.Dialog, Count: rt.Count, Amount: rt.AmountSum})
			}
		}
		c.Versions = append(c.Versions, v)
	}
	return c, nil
}

func cmpFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

func differences(base, t store.OutcomeTotals) []Difference {
	rate := func(kpi, unit string, x1, n1, x2, n2 int) Difference {
		d := Difference{KPI: kpi, Baseline: ratio(x1, n1), Value: ratio(x2, n2), Test: "two-proportion z", N: n2, BaselineN: n1, Unit: unit}
		if z, p, ok := twoProportionZ(x1, n1, x2, n2); ok {
			d.Statistic, d.PValue, d.Significant = &z, &p, p < Significance
		}
		return d.withDifference()
	}
	out := []Difference{
		rate("containment_rate", "conversations", base.ByOutcome[outcome.BotResolved], base.Contacts, t.ByOutcome[outcome.BotResolved], t.Contacts),
		rate("handoff_rate", "conversations", base.HandedOff, base.Contacts, t.HandedOff, t.Contacts),
		rate("ticket_rate", "conversations", base.WithTicket, base.Contacts, t.WithTicket, t.Contacts),
	}
	a, b := scores(base.ScoreCounts), scores(t.ScoreCounts)
	csat := Difference{KPI: "csat_average", Test: "Welch t", N: b.n(), BaselineN: a.n(), Unit: "answers"}
	if a.n() > 0 {
		m := a.mean()
		csat.Baseline = &m
	}
	if b.n() > 0 {
		m := b.mean()
		csat.Value = &m
	}
	if tt, _, p, ok := welchT(a, b); ok {
		csat.Statistic, csat.PValue, csat.Significant = &tt, &p, p < Significance
	}
	out = append(out, csat.withDifference())
	return append(out, rate("not_understood_rate", "messages", base.NotUnderstood, base.Messages, t.NotUnderstood, t.Messages))
}

func (d Difference) withDifference() Difference {
	if d.Baseline != nil && d.Value != nil {
		v := *d.Value - *d.Baseline
		d.Difference = &v
	}
	return d
}

var comparedLabels = map[string]string{
	"containment_rate":    "Automatic resolution (containment)",
	"handoff_rate":        "Handed to a person",
	"ticket_rate":         "Ticket opened",
	"csat_average":        "Satisfaction, average (1-5)",
	"not_understood_rate": "Messages not understood",
}

// comparedValue shows a compared figure: a rate in percent, a score.
func comparedValue(kpi string, v *float64) string {
	if kpi == "csat_average" {
		return show(kindScore, v)
	}
	return show(kindRate, v)
}

// differenceText shows a difference: points for rates, with the test's verdict.
func differenceText(d Difference) string {
	if d.Difference == nil {
		return "–"
	}
	var s string
	if d.KPI == "csat_average" {
		s = fmt.Sprintf("%+.2f", *d.Difference)
	} else {
		s = fmt.Sprintf("%+.1f pts", *d.Difference*100)
	}
	switch {
	case d.PValue == nil:
		return s + ", too few to test"
	case d.Significant:
		return fmt.Sprintf("%s, significant (p = %s)", s, pText(*d.PValue))
	}
	return fmt.Sprintf("%s, not significant (p = %s)", s, pText(*d.PValue))
}

func pText(p float64) string {
	if p < 0.001 {
		return "< 0.001"
	}
	return fmt.Sprintf("%.3f", p)
}

func versionName(v VersionFigures) string {
	if v.Label != "" {
		return v.Version + " (" + v.Label + ")"
	}
	return v.Version
}

// writeVersionsTable writes the comparison in the table format.
func writeVersionsTable(w io.Writer, c *VersionComparison) {
	if c == nil {
		return
	}
	for _, v := range c.Versions[1:] {
		base := c.Versions[0]
		fmt.Fprintf(w, "\nPolicy version %s against %s\n", versionName(v), versionName(base))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "FIGURE\t%s\t%s\tDIFFERENCE\tRESTS ON\t\n", strings.ToUpper(or(base.Label, "baseline")), strings.ToUpper(or(v.Label, "this version")))
		for _, d := range v.Differences {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d / %d %s (%s)\t\n", comparedLabels[d.KPI], comparedValue(d.KPI, d.Baseline), comparedValue(d.KPI, d.Value),
				differenceText(d), d.BaselineN, d.N, d.Unit, d.Test)
		}
		tw.Flush()
		writeVersionRules(w, base, v)
	}
}

// versionRule is one rule or outcome's use in two versions.
type versionRule struct {
	row        RuleRow // kind, name and dialog
	base, this int
	baseAmount float64
	thisAmount float64
	hasAmount  bool
}

// versionRules pairs the rules of two versions, the most used first.
func versionRules(base, v VersionFigures) []versionRule {
	key := func(r RuleRow) string { return r.Kind + "\x00" + r.Dialog + "\x00" + r.Name }
	var out []versionRule
	at := map[string]int{}
	add := func(r RuleRow, this bool) {
		i, ok := at[key(r)]
		if !ok {
			i = len(out)
			at[key(r)] = i
			out = append(out, versionRule{row: r})
		}
		if this {
			out[i].this, out[i].thisAmount = r.Count, r.Amount
		} else {
			out[i].base, out[i].baseAmount = r.Count, r.Amount
		}
		out[i].hasAmount = out[i].hasAmount || r.Amount != 0
	}
	for _, r := range base.Rules {
		add(r, false)
	}
	for _, r := range v.Rules {
		add(r, true)
	}
	slices.SortStableFunc(out, func(a, b versionRule) int { return cmp.Compare(b.base+b.this, a.base+a.this) })
	return out
}

// writeVersionRules lists the rules and outcomes that applied in each
// version's conversations: the report's list of rules, split by version.
func writeVersionRules(w io.Writer, base, v VersionFigures) {
	rules := versionRules(base, v)
	if len(rules) == 0 {
		return
	}
	fmt.Fprintln(w, "\nRules and outcomes that applied, by policy version")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  RULE\t%s\t\t%s\t\t\n", strings.ToUpper(or(base.Label, "baseline")), strings.ToUpper(or(v.Label, "this version")))
	for _, r := range rules {
		fmt.Fprintf(tw, "  %s %s\t%d\t%s\t%d\t%s\t\n", r.row.Kind, ruleName(r.row), r.base, amountText(r.hasAmount, r.baseAmount), r.this, amountText(r.hasAmount, r.thisAmount))
	}
	tw.Flush()
}

func amountText(has bool, amount float64) string {
	if !has {
		return ""
	}
	return strconv.FormatFloat(amount, 'f', 2, 64)
}

// versionsHTML is the comparison as an HTML section.
func versionsHTML(c *VersionComparison) template.HTML {
	if c == nil {
		return ""
	}
	var b strings.Builder
	esc := template.HTMLEscapeString
	for _, v := range c.Versions[1:] {
		base := c.Versions[0]
		fmt.Fprintf(&b, `<section><h2>Policy version <code>%s</code> against <code>%s</code></h2>`, esc(versionName(v)), esc(versionName(base)))
		fmt.Fprintf(&b, `<table><tr><th>Figure</th><th class="num">%s</th><th class="num">%s</th><th>Difference</th><th class="num">Rests on</th></tr>`,
			esc(or(base.Label, "Baseline")), esc(or(v.Label, "This version")))
		for _, d := range v.Differences {
			class := "muted"
			if d.Significant {
				class = "good"
				if better := d.KPI == "containment_rate" || d.KPI == "csat_average"; (*d.Difference > 0) != better {
					class = "bad"
				}
			}
			fmt.Fprintf(&b, `<tr><td>%s</td><td class="num">%s</td><td class="num">%s</td><td class="%s">%s</td><td class="num">%d / %d %s</td></tr>`,
				esc(comparedLabels[d.KPI]), esc(comparedValue(d.KPI, d.Baseline)), esc(comparedValue(d.KPI, d.Value)), class, esc(differenceText(d)), d.BaselineN, d.N, esc(d.Unit))
		}
		b.WriteString(`</table><p class="muted">Rates: two-proportion z-test; satisfaction: Welch's t-test; significant at p &lt; 0.05, two-sided.</p>`)
		if rules := versionRules(base, v); len(rules) > 0 {
			fmt.Fprintf(&b, `<h3>Rules and outcomes that applied, by policy version</h3><table><tr><th>Rule</th><th class="num">%s</th><th class="num">Amount</th><th class="num">%s</th><th class="num">Amount</th></tr>`,
				esc(or(base.Label, "Baseline")), esc(or(v.Label, "This version")))
			for _, r := range rules {
				fmt.Fprintf(&b, `<tr><td>%s %s</td><td class="num">%d</td><td class="num">%s</td><td class="num">%d</td><td class="num">%s</td></tr>`,
					esc(r.row.Kind), esc(ruleName(r.row)), r.base, esc(amountText(r.hasAmount, r.baseAmount)), r.this, esc(amountText(r.hasAmount, r.thisAmount)))
			}
			b.WriteString(`</table>`)
		}
		b.WriteString(`</section>`)
	}
	return template.HTML(b.String())
}
