package report

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Formats are the formats Write takes.
var Formats = []string{"table", "csv", "json", "xlsx", "html", "pdf"}

// Write renders r in format to w. PDF needs Chromium (see pdf.go).
func Write(ctx context.Context, w io.Writer, r *Report, format string) error {
	switch format {
	case "table", "":
		return writeTable(w, r)
	case "csv":
		return writeCSV(w, r)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "xlsx":
		return writeXLSX(w, r)
	case "html":
		return writeHTML(w, r)
	case "pdf":
		return writePDF(ctx, w, r)
	}
	return fmt.Errorf("unknown report format %q; use one of %s", format, strings.Join(Formats, ", "))
}

// kpiKind says how a figure is shown.
type kpiKind int

const (
	kindRate kpiKind = iota
	kindSeconds
	kindScore
	kindCount
)

// kpiRow is one figure as every format lists it.
type kpiRow struct {
	Key   string // the JSON name
	Label string
	Kind  kpiKind
	Get   func(KPIs) *float64
}

func count(n int) *float64 { v := float64(n); return &v }

// kpiRows are the figures in the order every format shows them.
var kpiRows = []kpiRow{
	{"conversations", "Conversations", kindCount, func(k KPIs) *float64 { return count(k.Conversations) }},
	{"containment_rate", "Automatic resolution (containment)", kindRate, func(k KPIs) *float64 { return k.ContainmentRate }},
	{"fcr_rate", "First-contact resolution", kindRate, func(k KPIs) *float64 { return k.FCRRate }},
	{"handoff_rate", "Handed to a person", kindRate, func(k KPIs) *float64 { return k.HandoffRate }},
	{"ticket_rate", "Ticket opened", kindRate, func(k KPIs) *float64 { return k.TicketRate }},
	{"abandonment_rate", "Abandoned", kindRate, func(k KPIs) *float64 { return k.AbandonmentRate }},
	{"csat_average", "Satisfaction, average (1-5)", kindScore, func(k KPIs) *float64 { return k.CSATAverage }},
	{"csat_satisfied_rate", "Satisfied (4 or 5)", kindRate, func(k KPIs) *float64 { return k.CSATSatisfied }},
	{"csat_response_rate", "Survey response rate", kindRate, func(k KPIs) *float64 { return k.CSATResponseRate }},
	{"messages", "Customer messages", kindCount, func(k KPIs) *float64 { return count(k.Messages) }},
	{"not_understood_rate", "Messages not understood", kindRate, func(k KPIs) *float64 { return k.NotUnderstoodRate }},
	{"kb_hit_rate", "Knowledge-base hit rate", kindRate, func(k KPIs) *float64 { return k.KBHitRate }},
	{"bot_response_avg_seconds", "Bot response time, average", kindSeconds, func(k KPIs) *float64 { return k.BotResponseAvg }},
	{"bot_response_p50_seconds", "Bot response time, p50", kindSeconds, func(k KPIs) *float64 { return k.BotResponseP50 }},
	{"bot_response_p95_seconds", "Bot response time, p95", kindSeconds, func(k KPIs) *float64 { return k.BotResponseP95 }},
	{"queue_wait_avg_seconds", "Queue wait, average", kindSeconds, func(k KPIs) *float64 { return k.QueueWaitAvg }},
	{"queue_wait_p50_seconds", "Queue wait, p50", kindSeconds, func(k KPIs) *float64 { return k.QueueWaitP50 }},
	{"queue_wait_p90_seconds", "Queue wait, p90", kindSeconds, func(k KPIs) *float64 { return k.QueueWaitP90 }},
	{"first_agent_reply_avg_seconds", "Time to first agent reply, average", kindSeconds, func(k KPIs) *float64 { return k.FirstAgentReplyAvg }},
	{"handling_time_avg_seconds", "Agent handling time, average", kindSeconds, func(k KPIs) *float64 { return k.HandlingTimeAvg }},
}

// show formats a figure for people; "–" when there is no data.
func show(kind kpiKind, v *float64) string {
	if v == nil {
		return "–"
	}
	switch kind {
	case kindRate:
		return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
	case kindSeconds:
		if *v >= 90 {
			return strconv.FormatFloat(*v/60, 'f', 1, 64) + " min"
		}
		return strconv.FormatFloat(*v, 'f', 2, 64) + " s"
	case kindScore:
		return strconv.FormatFloat(*v, 'f', 2, 64)
	}
	return strconv.FormatFloat(*v, 'f', 0, 64)
}

// targetText is a figure's target, "" when it has none.
func targetText(row kpiRow) string {
	t, ok := Targets[row.Key]
	if !ok {
		return ""
	}
	if row.Kind == kindSeconds {
		return "≤ " + show(row.Kind, &t)
	}
	return "≥ " + show(row.Kind, &t)
}

// meetsTarget says whether a figure meets its target; ok is false without one or data.
func meetsTarget(row kpiRow, k KPIs) (meets, ok bool) {
	t, has := Targets[row.Key]
	v := row.Get(k)
	if !has || v == nil {
		return false, false
	}
	if row.Kind == kindSeconds {
		return *v <= t, true
	}
	return *v >= t, true
}

// periodText describes the report's period in its time zone.
func periodText(r *Report) string {
	layout := "2006-01-02 15:04"
	from, to := "the start", "now"
	if !r.From.IsZero() {
		from = r.From.In(location(r)).Format(layout)
	}
	if !r.To.IsZero() {
		to = r.To.In(location(r)).Format(layout)
	}
	return fmt.Sprintf("%s to %s (%s)", from, to, r.TimeZone)
}

func writeTable(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "Report for bot %q, policy version %s\n%s\n\n", r.Bot, r.PolicyVersion, periodText(r))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FIGURE\tVALUE\tTARGET\t")
	for _, row := range kpiRows {
		mark := ""
		if meets, ok := meetsTarget(row, r.KPIs); ok && !meets {
			mark = "  below target"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", row.Label, show(row.Kind, row.Get(r.KPIs)), targetText(row), mark)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nOutcomes")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, kind := range OutcomeKinds() {
		n := r.KPIs.Outcomes[kind]
		fmt.Fprintf(tw, "  %s\t%d\t%s\n", kind, n, show(kindRate, ratio(n, r.KPIs.Conversations)))
	}
	tw.Flush()
	if len(r.Groups) > 0 {
		fmt.Fprintf(w, "\nBy %s\n", strings.Join(r.By, ", "))
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "%s\tCONVERSATIONS\tCONTAINMENT\tHANDOFF\tFCR\tCSAT\t\n", strings.ToUpper(strings.Join(r.By, "\t")))
		for _, g := range r.Groups {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t\n", strings.Join(labelVersions(r, noneIfEmpty(g.Key)), "\t"), g.KPIs.Conversations,
				show(kindRate, g.KPIs.ContainmentRate), show(kindRate, g.KPIs.HandoffRate), show(kindRate, g.KPIs.FCRRate), show(kindScore, g.KPIs.CSATAverage))
		}
		tw.Flush()
	}
	writeVersionsTable(w, r.Versions)
	if len(r.Rules) > 0 {
		fmt.Fprintln(w, "\nRules and outcomes that applied")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, rr := range r.Rules {
			amount := ""
			if rr.Amount != 0 {
				amount = strconv.FormatFloat(rr.Amount, 'f', 2, 64)
			}
			fmt.Fprintf(tw, "  %s %s\t%d\t%s\n", rr.Kind, ruleName(rr), rr.Count, amount)
		}
		tw.Flush()
	}
	section := func(title string, cs []Count) {
		if len(cs) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s\n", title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, c := range cs {
			fmt.Fprintf(tw, "  %s\t%d\n", c.Name, c.Count)
		}
		tw.Flush()
	}
	section("Handoffs by queue", r.HandoffsByQueue)
	section("Handoffs by reason", r.HandoffsByReason)
	if len(r.Tickets) > 0 {
		fmt.Fprintln(w, "\nTickets by queue and priority")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, t := range r.Tickets {
			fmt.Fprintf(tw, "  %s\t%s\t%d\n", t.Queue, t.Priority, t.Count)
		}
		tw.Flush()
	}
	section("Intents", r.Intents)
	themesText := func(title string, ts []Theme) {
		if len(ts) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s\n", title)
		for _, t := range ts {
			fmt.Fprintf(w, "  %4d  %s\n", t.Count, t.Example)
		}
	}
	themesText("Why customers were dissatisfied (comments with scores 1-2, grouped)", r.Dissatisfied)
	themesText("Top unanswered questions", r.Unanswered)
	return nil
}

func ruleName(rr RuleRow) string {
	if rr.Kind == "outcome" {
		return rr.Dialog + "." + rr.Name
	}
	return rr.Name
}

func noneIfEmpty(vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = or(v, "(none)")
	}
	return out
}

// writeCSV writes one row per group (one "all" row without a breakdown), with
// every figure as a plain number: rates as fractions, times in seconds.
func writeCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	header := append([]string{}, r.By...)
	if len(r.By) == 0 {
		header = []string{"group"}
	}
	for _, row := range kpiRows {
		header = append(header, row.Key)
	}
	header = append(header, OutcomeKinds()...)
	_ = cw.Write(header)
	line := func(key []string, k KPIs) {
		rec := append([]string{}, key...)
		for _, row := range kpiRows {
			v := row.Get(k)
			if v == nil {
				rec = append(rec, "")
				continue
			}
			rec = append(rec, strconv.FormatFloat(*v, 'f', -1, 64))
		}
		for _, kind := range OutcomeKinds() {
			rec = append(rec, strconv.Itoa(k.Outcomes[kind]))
		}
		_ = cw.Write(rec)
	}
	if len(r.By) == 0 {
		line([]string{"all"}, r.KPIs)
	}
	for _, g := range r.Groups {
		line(g.Key, g.KPIs)
	}
	cw.Flush()
	return cw.Error()
}

// labelVersions names the policy versions of a group's key with their
// labels (v1, v2), as the comparison below the table does.
func labelVersions(r *Report, key []string) []string {
	if r.Versions == nil {
		return key
	}
	out := slices.Clone(key)
	for i, d := range r.By {
		for _, v := range r.Versions.Versions {
			if d == "policy_version" && i < len(out) && out[i] == v.Version && v.Label != "" {
				out[i] = versionName(v)
			}
		}
	}
	return out
}
