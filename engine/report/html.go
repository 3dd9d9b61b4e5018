package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/parleyhq/parley/dialog/outcome"
)

// outcomeColors give each outcome kind one colour in every chart.
var outcomeColors = map[string]string{
	outcome.BotResolved:      "#2e9e5b",
	outcome.AgentResolved:    "#3a7bd5",
	outcome.Ticket:           "#e0a030",
	outcome.Approval:         "#1b998b",
	outcome.AbandonedInQueue: "#e4572e",
	outcome.Abandoned:        "#9aa0a6",
	outcome.NotUnderstood:    "#8e6cc4",
	outcome.Unresolved:       "#b03a2e",
}

var outcomeLabels = map[string]string{
	outcome.BotResolved:      "Resolved by the bot",
	outcome.AgentResolved:    "Resolved by an agent",
	outcome.Ticket:           "Ticket opened",
	outcome.Approval:         "Sent for a person's approval",
	outcome.AbandonedInQueue: "Left while waiting for an agent",
	outcome.Abandoned:        "Abandoned mid-conversation",
	outcome.NotUnderstood:    "Not understood",
	outcome.Unresolved:       "Not resolved",
}

// card is one headline figure on the page.
type card struct {
	Label, Value, Target, Class string
}

func cards(r *Report) []card {
	keys := []string{"conversations", "containment_rate", "fcr_rate", "handoff_rate", "csat_average", "csat_satisfied_rate", "bot_response_avg_seconds", "queue_wait_p90_seconds"}
	var out []card
	for _, key := range keys {
		for _, row := range kpiRows {
			if row.Key != key {
				continue
			}
			c := card{Label: row.Label, Value: show(row.Kind, row.Get(r.KPIs)), Target: targetText(row)}
			if meets, ok := meetsTarget(row, r.KPIs); ok {
				c.Class = map[bool]string{true: "good", false: "bad"}[meets]
			}
			out = append(out, c)
		}
	}
	return out
}

// svgOutcomes is a 100% stacked bar of the outcomes with its legend.
func svgOutcomes(r *Report) template.HTML {
	total := r.KPIs.Conversations
	var b strings.Builder
	b.WriteString(`<svg viewBox="0 0 1000 40" preserveAspectRatio="none" class="stack" role="img" aria-label="Outcomes">`)
	x := 0.0
	for _, kind := range OutcomeKinds() {
		n := r.KPIs.Outcomes[kind]
		if n == 0 || total == 0 {
			continue
		}
		w := 1000 * float64(n) / float64(total)
		fmt.Fprintf(&b, `<rect x="%.2f" y="0" width="%.2f" height="40" fill="%s"><title>%s: %d</title></rect>`, x, w, outcomeColors[kind], outcomeLabels[kind], n)
		x += w
	}
	if total == 0 {
		b.WriteString(`<rect x="0" y="0" width="1000" height="40" fill="#eceff1"/>`)
	}
	b.WriteString(`</svg><ul class="legend">`)
	for _, kind := range OutcomeKinds() {
		n := r.KPIs.Outcomes[kind]
		fmt.Fprintf(&b, `<li><span class="swatch" style="background:%s"></span>%s <b>%d</b> <span class="muted">%s</span></li>`,
			outcomeColors[kind], template.HTMLEscapeString(outcomeLabels[kind]), n, show(kindRate, ratio(n, total)))
	}
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}

// svgDays draws conversations per day as bars and the containment rate as a line.
func svgDays(r *Report) template.HTML {
	if len(r.Days) == 0 {
		return `<p class="muted">No conversations in this period.</p>`
	}
	const w, h, left, bottom, top = 1000.0, 260.0, 44.0, 30.0, 14.0
	maxN := 1
	for _, d := range r.Days {
		maxN = max(maxN, d.Conversations)
	}
	maxN = niceCeil(maxN)
	plotW, plotH := w-left-44, h-bottom-top
	step := plotW / float64(len(r.Days))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %.0f %.0f" class="chart" role="img" aria-label="Conversations and containment by day">`, w, h)
	for i := 0; i <= 4; i++ {
		y := top + plotH*float64(i)/4
		fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" class="grid"/>`, left, w-44, y, y)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" class="axis" text-anchor="end">%d</text>`, left-6, y+4, maxN*(4-i)/4)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" class="axis">%d%%</text>`, w-40, y+4, 100*(4-i)/4)
	}
	var line []string
	labelEvery := max(1, len(r.Days)/10)
	for i, d := range r.Days {
		bh := plotH * float64(d.Conversations) / float64(maxN)
		x := left + step*float64(i) + step*0.15
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="bar"><title>%s: %d conversations</title></rect>`,
			x, top+plotH-bh, step*0.7, bh, d.Day, d.Conversations)
		if d.ContainmentRate != nil {
			line = append(line, fmt.Sprintf("%.1f,%.1f", left+step*(float64(i)+0.5), top+plotH*(1-*d.ContainmentRate)))
		}
		if i%labelEvery == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" class="axis" text-anchor="middle">%s</text>`, left+step*(float64(i)+0.5), h-10, d.Day[5:])
		}
	}
	if t, ok := Targets["containment_rate"]; ok {
		y := top + plotH*(1-t)
		fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" class="target"/><text x="%.0f" y="%.1f" class="axis target-label">target %d%%</text>`,
			left, w-44, y, y, left+4, y-4, int(t*100))
	}
	if len(line) > 0 {
		fmt.Fprintf(&b, `<polyline points="%s" class="line"/>`, strings.Join(line, " "))
		for _, p := range line {
			xy := strings.Split(p, ",")
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3.5" class="dot"/>`, xy[0], xy[1])
		}
	}
	b.WriteString(`</svg><p class="legend-inline"><span class="swatch bar-swatch"></span>conversations <span class="swatch line-swatch"></span>automatic resolution</p>`)
	return template.HTML(b.String())
}

// svgBars draws labelled vertical bars (hours of the day, scores).
func svgBars(labels []string, values []int, colors []string, aria string, labelEvery int) template.HTML {
	const w, h, bottom, top = 520.0, 200.0, 24.0, 18.0
	maxN := 1
	for _, v := range values {
		maxN = max(maxN, v)
	}
	step := w / float64(len(values))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %.0f %.0f" class="chart" role="img" aria-label="%s">`, w, h, template.HTMLEscapeString(aria))
	for i, v := range values {
		bh := (h - bottom - top) * float64(v) / float64(maxN)
		color := "#3a7bd5"
		if i < len(colors) {
			color = colors[i]
		}
		x := step*float64(i) + step*0.12
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" rx="2"><title>%s: %d</title></rect>`, x, h-bottom-bh, step*0.76, bh, color, labels[i], v)
		if v > 0 && labelEvery == 1 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="axis" text-anchor="middle">%d</text>`, x+step*0.38, h-bottom-bh-4, v)
		}
		if i%labelEvery == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" class="axis" text-anchor="middle">%s</text>`, x+step*0.38, h-6, labels[i])
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func svgHours(r *Report) template.HTML {
	labels := make([]string, 24)
	for i := range labels {
		labels[i] = fmt.Sprintf("%02d", i)
	}
	return svgBars(labels, r.Hours[:], nil, "Conversations by hour of day", 3)
}

func svgScores(r *Report) template.HTML {
	return svgBars([]string{"1", "2", "3", "4", "5"}, r.KPIs.CSATDistribution[:],
		[]string{"#c0392b", "#e67e22", "#f1c40f", "#7dbb52", "#2e9e5b"}, "Satisfaction scores", 1)
}

// niceCeil rounds n up to 1, 2 or 5 times a power of ten, for axes.
func niceCeil(n int) int {
	if n <= 4 {
		return 4
	}
	p := math.Pow(10, math.Floor(math.Log10(float64(n))))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if v := m * p; v >= float64(n) {
			return int(v)
		}
	}
	return n
}

// barRow is a table row with a proportional bar.
type barRow struct {
	Name  string
	Extra string
	Count int
	Pct   float64
}

func barRows(cs []Count) []barRow {
	maxN := 1
	for _, c := range cs {
		maxN = max(maxN, c.Count)
	}
	out := make([]barRow, 0, len(cs))
	for _, c := range cs {
		out = append(out, barRow{Name: c.Name, Count: c.Count, Pct: 100 * float64(c.Count) / float64(maxN)})
	}
	return out
}

func writeHTML(w io.Writer, r *Report) error {
	intents := r.Intents
	if len(intents) > 12 {
		intents = intents[:12]
	}
	data := map[string]any{
		"R": r, "Period": periodText(r), "Cards": cards(r), "Outcomes": svgOutcomes(r), "Days": svgDays(r),
		"Hours": svgHours(r), "Scores": svgScores(r), "Queues": barRows(r.HandoffsByQueue), "Reasons": barRows(r.HandoffsByReason),
		"Intents": barRows(intents), "Rows": kpiRows, "Generated": r.GeneratedAt.In(location(r)).Format("2006-01-02 15:04"),
		"Versions": versionsHTML(r.Versions),
	}
	return htmlTemplate.Execute(w, data)
}

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"show":   func(row kpiRow, k KPIs) string { return show(row.Kind, row.Get(k)) },
	"target": targetText,
	"status": func(row kpiRow, k KPIs) string {
		if meets, ok := meetsTarget(row, k); ok {
			return map[bool]string{true: "good", false: "bad"}[meets]
		}
		return ""
	},
	"rule":     ruleName,
	"amount":   func(v float64) string { return fmt.Sprintf("%.2f", v) },
	"none":     func(s string) string { return or(s, "(none)") },
	"pct":      func(f float64) string { return fmt.Sprintf("%.1f", f) },
	"mul100":   func(f *float64) float64 { return *f * 100 },
	"fmtRate":  func(v *float64) string { return show(kindRate, v) },
	"fmtScore": func(v *float64) string { return show(kindScore, v) },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.R.Bot}}: customer service report</title>
<style>
:root{--ink:#1d2733;--muted:#5f6b7a;--line:#e3e8ee;--bg:#f5f7fa;--good:#2e9e5b;--bad:#d0463b;--accent:#3a7bd5}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif}
main{max-width:1100px;margin:0 auto;padding:28px 24px 48px}
header h1{margin:0;font-size:26px}
header p{margin:4px 0 0;color:var(--muted)}
section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:18px 20px;margin-top:18px;break-inside:avoid}
section h2{margin:0 0 12px;font-size:17px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:12px;margin-top:20px}
.card{background:#fff;border:1px solid var(--line);border-left:5px solid #c5ced8;border-radius:10px;padding:14px 16px;break-inside:avoid}
.card.good{border-left-color:var(--good)}.card.bad{border-left-color:var(--bad)}
.card .value{font-size:30px;font-weight:650;letter-spacing:-.5px}
.card .label{color:var(--muted);font-size:13px}
.card .target{font-size:12px;margin-top:2px}
.card.good .target{color:var(--good)}.card.bad .target{color:var(--bad)}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:18px}
@media (max-width:800px){.grid2{grid-template-columns:1fr}}
.grid2>section{margin-top:0}
.row2{margin-top:18px}
svg{width:100%;height:auto;display:block}
svg.stack{height:40px;border-radius:6px;overflow:hidden}
.legend{list-style:none;padding:0;margin:12px 0 0;display:flex;flex-wrap:wrap;gap:6px 18px;font-size:13px}
.swatch{display:inline-block;width:11px;height:11px;border-radius:3px;margin-right:6px;vertical-align:-1px}
.bar-swatch{background:#b9cfee}.line-swatch{background:#2e9e5b}
.legend-inline{font-size:12px;color:var(--muted);margin:6px 0 0}
.chart .grid{stroke:var(--line);stroke-width:1}.chart .axis{fill:var(--muted);font-size:12px}
.chart .bar{fill:#b9cfee}.chart .line{fill:none;stroke:#2e9e5b;stroke-width:2.5}.chart .dot{fill:#2e9e5b}
.chart .target{stroke:#2e9e5b;stroke-dasharray:5 5;stroke-width:1.2;opacity:.6}.chart .target-label{fill:#2e9e5b}
table{width:100%;border-collapse:collapse;font-size:14px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.3px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.good{color:var(--good);font-weight:600}td.bad{color:var(--bad);font-weight:600}
.hbar{height:8px;background:var(--accent);border-radius:4px;opacity:.75;min-width:2px}
.muted{color:var(--muted)}
.theme-count{display:inline-block;min-width:34px;padding:1px 8px;border-radius:10px;background:#fdecea;color:#b03a2e;font-weight:600;text-align:center;margin-right:8px}
.examples{color:var(--muted);font-size:13px;margin:2px 0 0 46px}
footer{color:var(--muted);font-size:12px;margin-top:18px}
@media print{body{background:#fff}main{padding:0}section,.card{border-color:#d5dbe2}}
</style></head>
<body><main>
<header>
<h1>{{.R.Bot}}: customer service report</h1>
<p>{{.Period}} · policy version <code>{{.R.PolicyVersion}}</code></p>
</header>

<div class="cards">
{{range .Cards}}<div class="card {{.Class}}"><div class="label">{{.Label}}</div><div class="value">{{.Value}}</div>{{if .Target}}<div class="target">target {{.Target}}</div>{{end}}</div>
{{end}}</div>

<section><h2>What came of each conversation</h2>{{.Outcomes}}</section>

<section><h2>Conversations and automatic resolution by day</h2>{{.Days}}</section>

<div class="grid2 row2">
<section><h2>When customers write (hour of day)</h2>{{.Hours}}</section>
<section><h2>Satisfaction scores</h2>{{.Scores}}
<p class="muted">{{.R.KPIs.CSATResponses}} answers{{with .R.KPIs.CSATResponseRate}}, {{printf "%.0f" (mul100 .)}}% of surveys asked{{end}}.</p></section>
</div>

{{if .R.Dissatisfied}}<section><h2>Why customers were dissatisfied</h2>
{{range .R.Dissatisfied}}<p><span class="theme-count">{{.Count}}</span>{{.Example}}</p>{{if .Examples}}<p class="examples">{{range $i, $e := .Examples}}{{if $i}} · {{end}}{{$e}}{{end}}</p>{{end}}
{{end}}</section>{{end}}

<div class="grid2 row2">
<section><h2>Handoffs to people, by queue</h2>
{{if .Queues}}<table>{{range .Queues}}<tr><td>{{.Name}}</td><td style="width:45%"><div class="hbar" style="width:{{pct .Pct}}%"></div></td><td class="num">{{.Count}}</td></tr>{{end}}</table>{{else}}<p class="muted">None.</p>{{end}}
<h2 style="margin-top:16px">By reason</h2>
{{if .Reasons}}<table>{{range .Reasons}}<tr><td>{{.Name}}</td><td style="width:45%"><div class="hbar" style="width:{{pct .Pct}}%"></div></td><td class="num">{{.Count}}</td></tr>{{end}}</table>{{else}}<p class="muted">None.</p>{{end}}
</section>
<section><h2>Business rules that applied</h2>
{{if .R.Rules}}<table><tr><th>Rule or outcome</th><th class="num">Applied</th><th class="num">Amount</th></tr>
{{range .R.Rules}}<tr><td>{{rule .}}</td><td class="num">{{.Count}}</td><td class="num">{{if .Amount}}{{amount .Amount}}{{end}}</td></tr>{{end}}</table>{{else}}<p class="muted">None.</p>{{end}}
<h2 style="margin-top:16px">Tickets</h2>
{{if .R.Tickets}}<table><tr><th>Queue</th><th>Priority</th><th class="num">Tickets</th></tr>{{range .R.Tickets}}<tr><td>{{.Queue}}</td><td>{{.Priority}}</td><td class="num">{{.Count}}</td></tr>{{end}}</table>{{else}}<p class="muted">None.</p>{{end}}
</section>
</div>

<div class="grid2 row2">
<section><h2>What customers asked about</h2>
{{if .Intents}}<table>{{range .Intents}}<tr><td>{{.Name}}</td><td style="width:45%"><div class="hbar" style="width:{{pct .Pct}}%"></div></td><td class="num">{{.Count}}</td></tr>{{end}}</table>{{else}}<p class="muted">None.</p>{{end}}
</section>
<section><h2>Top unanswered questions</h2>
{{if .R.Unanswered}}{{range .R.Unanswered}}<p><span class="theme-count">{{.Count}}</span>{{.Example}}</p>{{end}}{{else}}<p class="muted">None.</p>{{end}}
</section>
</div>

{{.Versions}}
{{if .R.Groups}}<section><h2>By {{range $i, $d := .R.By}}{{if $i}}, {{end}}{{$d}}{{end}}</h2>
<table><tr>{{range .R.By}}<th>{{.}}</th>{{end}}<th class="num">Conversations</th><th class="num">Containment</th><th class="num">Handoff</th><th class="num">FCR</th><th class="num">CSAT</th></tr>
{{range .R.Groups}}<tr>{{range .Key}}<td>{{none .}}</td>{{end}}<td class="num">{{.KPIs.Conversations}}</td><td class="num">{{fmtRate .KPIs.ContainmentRate}}</td><td class="num">{{fmtRate .KPIs.HandoffRate}}</td><td class="num">{{fmtRate .KPIs.FCRRate}}</td><td class="num">{{fmtScore .KPIs.CSATAverage}}</td></tr>
{{end}}</table></section>{{end}}

<section><h2>All figures</h2>
<table><tr><th>Figure</th><th class="num">Value</th><th class="num">Target</th></tr>
{{range .Rows}}<tr><td>{{.Label}}</td><td class="num {{status . $.R.KPIs}}">{{show . $.R.KPIs}}</td><td class="num muted">{{target .}}</td></tr>
{{end}}</table>
<p class="muted">Definitions: docs/reports.md. First-contact resolution counts a customer who comes back about the same intent within {{printf "%g" .R.FollowUpDays}} days as not resolved the first time.</p>
</section>
<footer>Generated by Parley on {{.Generated}} ({{.R.TimeZone}}).</footer>
</main></body></html>
`))
