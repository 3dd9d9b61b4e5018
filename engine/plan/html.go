package plan

import (
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/parleyhq/parley/dialog/outcome"
	"github.com/parleyhq/parley/policies"
)

// outcomeColors are the colours engine/report gives outcome kinds, so a
// plan and a report read alike.
var outcomeColors = map[string]string{
	outcome.BotResolved:      "#2e9e5b",
	outcome.AgentResolved:    "#3a7bd5",
	outcome.Ticket:           "#e0a030",
	outcome.Approval:         "#1b998b",
	outcome.AbandonedInQueue: "#e4572e",
	outcome.Abandoned:        "#9aa0a6",
	outcome.NotUnderstood:    "#8e6cc4",
	outcome.Unresolved:       "#b03a2e",
	needsLive:                "#455a64",
	"":                       "#eceff1",
}

type htmlCell struct {
	Text  string
	Style template.CSS
	Title string
}

type htmlRow struct {
	Label string
	Cells []htmlCell
}

type htmlRule struct {
	Label, Conversations, Amount, Class string
}

type htmlChange struct {
	ID, Started, Outcome, Said string
	Before, After, Why         []string
}

type htmlPage struct {
	R             *Report
	Period, Title string
	ChangedShare  string
	Cols          []string
	Rows          []htmlRow
	Before, After template.HTML
	Legend        template.HTML
	Rules         []htmlRule
	Tickets       []htmlRule // by queue: Label, Conversations (the ticket counts), Class
	Changes       []htmlChange
	More          int
	Intent        func(string) string
	LiveHint      string
}

func writeHTML(w io.Writer, r *Report, bot *policies.Bot, opts WriteOptions) error {
	p := htmlPage{R: r, Period: periodText(r, bot), Title: fmt.Sprintf("Plan for %s: policies %s", r.Bot, r.PolicyVersion)}
	if r.Conversations > 0 {
		p.ChangedShare = fmt.Sprintf("%.1f%%", 100*float64(r.Changed)/float64(r.Conversations))
	}
	rows, cols, count := matrix(r)
	peak := 1
	for k, n := range count {
		if k[0] != k[1] {
			peak = max(peak, n)
		}
	}
	for _, c := range cols {
		p.Cols = append(p.Cols, outcomeText(c))
	}
	for _, row := range rows {
		hr := htmlRow{Label: outcomeText(row)}
		for _, c := range cols {
			n := count[[2]string{row, c}]
			cell := htmlCell{Text: "·", Title: fmt.Sprintf("%s → %s: %d", outcomeText(row), outcomeText(c), n)}
			if n > 0 {
				cell.Text = fmt.Sprint(n)
			}
			switch {
			case row == c:
				cell.Style = "background:#f4f6f7;color:#5f6b73"
			case n > 0:
				cell.Style = template.CSS(fmt.Sprintf("background:rgba(228,87,46,%.2f);font-weight:600", 0.15+0.65*float64(n)/float64(peak)))
			}
			hr.Cells = append(hr.Cells, cell)
		}
		p.Rows = append(p.Rows, hr)
	}
	before, after := map[string]int{}, map[string]int{}
	for _, t := range r.Transitions {
		before[t.Before] += t.Count
		after[t.After] += t.Count
	}
	p.Before, p.After = stackedBar(before, r.Contacts), stackedBar(after, r.Contacts)
	p.Legend = legend(before, after)
	for _, e := range changedRules(r) {
		hr := htmlRule{Label: ruleLabel(e), Conversations: fmt.Sprintf("%s (%d → %d)", signed(e.ConversationsAfter-e.ConversationsBefore), e.ConversationsBefore, e.ConversationsAfter)}
		if e.AmountBefore != 0 || e.AmountAfter != 0 {
			hr.Amount = fmt.Sprintf("%s (%s → %s)", signedMoney(bot, e.AmountAfter-e.AmountBefore), money(bot, e.AmountBefore), money(bot, e.AmountAfter))
		}
		hr.Class = "up"
		if e.ConversationsAfter < e.ConversationsBefore {
			hr.Class = "down"
		}
		p.Rules = append(p.Rules, hr)
	}
	for _, e := range changedTickets(r) {
		ht := htmlRule{Label: e.Queue, Conversations: fmt.Sprintf("%s (%d → %d)", signed(e.After-e.Before), e.Before, e.After), Class: "up"}
		if e.After < e.Before {
			ht.Class = "down"
		}
		p.Tickets = append(p.Tickets, ht)
	}
	shown := min(len(r.Changes), opts.limit())
	p.More = len(r.Changes) - shown
	loc := location(bot)
	for _, c := range r.Changes[:shown] {
		hc := htmlChange{ID: c.ID, Started: c.Started.In(loc).Format("2006-01-02 15:04"), Outcome: "outcome unchanged"}
		var outs []string
		for _, o := range c.Outcomes {
			if o.Before != o.After {
				outs = append(outs, fmt.Sprintf("%s → %s", outcomeText(o.Before), outcomeText(o.After)))
			}
		}
		if len(outs) > 0 {
			hc.Outcome = strings.Join(outs, ", ")
		}
		if d := c.FirstDifference; d != nil {
			who := or(map[string]string{"customer": "the customer said", "agent": "the agent did", "hand_back": "the agent handed back", "satisfaction": "the customer rated"}[d.From], d.From)
			hc.Said = fmt.Sprintf("Turn %d", d.Turn)
			if d.Text != "" {
				hc.Said += fmt.Sprintf(", %s “%s”", who, d.Text)
			}
			hc.Before, hc.After, hc.Why = d.Before, d.After, d.Why
			if len(hc.After) == 0 && c.NeedsLiveAnswer != nil {
				hc.After = []string{"(the replay stopped here: it needs a live answer)"}
			} else if len(hc.After) > 0 && slices.Equal(hc.After, d.Before) {
				hc.After = []string{"(the same)"}
			}
		}
		p.Changes = append(p.Changes, hc)
	}
	p.Intent = intentName
	p.LiveHint = "Run with -mocks to answer such calls from the bot's mock blocks."
	if r.Mocks {
		p.LiveHint = "No mock block matches these calls."
	}
	return planPage.Execute(w, p)
}

// stackedBar is a 100% bar of the contacts' outcomes.
func stackedBar(counts map[string]int, total int) template.HTML {
	var b strings.Builder
	b.WriteString(`<svg viewBox="0 0 1000 28" preserveAspectRatio="none" class="stack" role="img">`)
	x := 0.0
	kinds := append(append([]string{}, outcome.Kinds...), needsLive, "")
	for _, kind := range kinds {
		n := counts[kind]
		if n == 0 || total == 0 {
			continue
		}
		wd := 1000 * float64(n) / float64(total)
		fmt.Fprintf(&b, `<rect x="%.2f" y="0" width="%.2f" height="28" fill="%s"><title>%s: %d</title></rect>`, x, wd, outcomeColors[kind], template.HTMLEscapeString(outcomeText(kind)), n)
		x += wd
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// legend names the colours of the outcome kinds either side has.
func legend(before, after map[string]int) template.HTML {
	var b strings.Builder
	b.WriteString(`<ul class="legend">`)
	for _, kind := range append(append([]string{}, outcome.Kinds...), needsLive, "") {
		if before[kind] == 0 && after[kind] == 0 {
			continue
		}
		fmt.Fprintf(&b, `<li><span class="swatch" style="background:%s"></span>%s <b>%d → %d</b></li>`, outcomeColors[kind], template.HTMLEscapeString(outcomeText(kind)), before[kind], after[kind])
	}
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}

var planPage = template.Must(template.New("plan").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans SC",sans-serif;color:#1f2a30;margin:0;background:#fafbfc}
main{max-width:1100px;margin:0 auto;padding:28px 24px 60px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:36px 0 12px}
.muted{color:#5f6b73}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:14px;margin-top:20px}
.card{background:#fff;border:1px solid #e3e7ea;border-radius:10px;padding:14px 16px}
.card .v{font-size:28px;font-weight:650}.card .l{color:#5f6b73;font-size:13px}
.card.bad .v{color:#c0392b}.card.good .v{color:#2e7d4f}
table{border-collapse:collapse;background:#fff;border:1px solid #e3e7ea;border-radius:8px}
th,td{padding:7px 12px;border-bottom:1px solid #eef1f3;text-align:left;vertical-align:top}
table.matrix td{text-align:right;min-width:70px}table.matrix th.row{text-align:left;font-weight:500}
table.matrix thead th{font-size:13px;font-weight:600;text-align:right}
.stack{width:100%;height:28px;border-radius:6px;display:block}
.bars{display:grid;grid-template-columns:90px 1fr;gap:8px 12px;align-items:center;max-width:900px}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;list-style:none;padding:0;margin:10px 0 0;font-size:13px}
.swatch{display:inline-block;width:11px;height:11px;border-radius:3px;margin-right:6px;vertical-align:-1px}
td.up{color:#2e7d4f;font-weight:600}td.down{color:#c0392b;font-weight:600}
.conv{background:#fff;border:1px solid #e3e7ea;border-radius:10px;padding:14px 18px;margin:14px 0}
.conv h3{font-size:15px;margin:0 0 6px}.conv .said{margin:6px 0 10px}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.side{border-radius:8px;padding:10px 12px}.side.before{background:#f4f6f7}.side.after{background:#eef7f1}
.side p{margin:4px 0}.side .h{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#5f6b73}
ul.why{margin:10px 0 0;padding-left:20px}ul.why li{margin:2px 0}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f1f3f4;padding:1px 4px;border-radius:4px}
@media (max-width:720px){.sides{grid-template-columns:1fr}}
</style></head><body><main>
<h1>What policies <code>{{.R.PolicyVersion}}</code> would have done</h1>
<div class="muted">Bot <b>{{.R.Bot}}</b> · conversations from {{.Period}} · made {{.R.GeneratedAt.Format "2006-01-02 15:04"}}</div>
<div class="cards">
<div class="card"><div class="v">{{.R.Conversations}}</div><div class="l">conversations replayed</div></div>
<div class="card {{if .R.Changed}}bad{{else}}good{{end}}"><div class="v">{{.R.Changed}}</div><div class="l">changed (outcome, replies or actions){{if .ChangedShare}} · {{.ChangedShare}}{{end}}</div></div>
<div class="card"><div class="v">{{.R.NeedsLiveAnswer}}</div><div class="l">need a live answer</div></div>
<div class="card"><div class="v">{{.R.Contacts}}</div><div class="l">contacts compared</div></div>
</div>
{{if .R.NeedsLiveAnswer}}<p class="muted">A conversation that needs a live answer made a connector call the log never recorded; its replay stopped there. {{.LiveHint}}</p>{{end}}
{{range .R.Notes}}<p class="muted">Note: {{.}}</p>{{end}}

<h2>Outcomes before and after</h2>
<div class="bars"><div class="muted">recorded</div>{{.Before}}<div class="muted">replayed</div>{{.After}}</div>
{{.Legend}}
<h2>Transition matrix</h2>
<p class="muted">Contacts by their recorded outcome (rows) and their outcome under the new policies (columns). Off the diagonal is what changes.</p>
<table class="matrix"><thead><tr><th></th>{{range .Cols}}<th>{{.}}</th>{{end}}</tr></thead><tbody>
{{range .Rows}}<tr><th class="row">{{.Label}}</th>{{range .Cells}}<td style="{{.Style}}" title="{{.Title}}">{{.Text}}</td>{{end}}</tr>{{end}}
</tbody></table>

<h2>Business rules</h2>
{{if .Rules}}<table><thead><tr><th>Rule or outcome</th><th>Conversations</th><th>Amount</th></tr></thead><tbody>
{{range .Rules}}<tr><td>{{.Label}}</td><td class="{{.Class}}">{{.Conversations}}</td><td>{{.Amount}}</td></tr>{{end}}
</tbody></table>{{else}}<p class="muted">No rule applies more or less often.</p>{{end}}

<h2>Tickets opened, by queue</h2>
{{if .Tickets}}<table><thead><tr><th>Queue</th><th>Tickets</th></tr></thead><tbody>
{{range .Tickets}}<tr><td>{{.Label}}</td><td class="{{.Class}}">{{.Conversations}}</td></tr>{{end}}
</tbody></table>{{else}}<p class="muted">No queue gets more or fewer tickets.</p>{{end}}

<h2>Intents recognised differently</h2>
{{if .R.Intents}}<table><thead><tr><th>Before</th><th>Now</th><th>Messages</th><th>For example</th></tr></thead><tbody>
{{range .R.Intents}}<tr><td>{{call $.Intent .Before}}</td><td>{{call $.Intent .After}}</td><td>{{.Count}}</td><td>{{range $i, $e := .Examples}}{{if $i}}, {{end}}“{{$e}}”{{end}}</td></tr>{{end}}
</tbody></table>{{else}}<p class="muted">Every message is recognised as before.</p>{{end}}

<h2>Changed conversations</h2>
{{if not .Changes}}<p class="muted">None.</p>{{end}}
{{range .Changes}}<div class="conv">
<h3><code>{{.ID}}</code> <span class="muted">· started {{.Started}} · {{.Outcome}}</span></h3>
<div class="said">{{.Said}}</div>
<div class="sides"><div class="side before"><div class="h">Before</div>{{range .Before}}<p>{{.}}</p>{{else}}<p class="muted">(nothing)</p>{{end}}</div>
<div class="side after"><div class="h">After</div>{{range .After}}<p>{{.}}</p>{{else}}<p class="muted">(nothing)</p>{{end}}</div></div>
{{if .Why}}<ul class="why">{{range .Why}}<li>{{.}}</li>{{end}}</ul>{{end}}
</div>{{end}}
{{if .More}}<p class="muted">… and {{.More}} more; <code>parley plan -json</code> lists them all.</p>{{end}}
</main></body></html>
`))
