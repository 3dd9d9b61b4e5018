package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// location is the report's time zone.
func location(r *Report) *time.Location {
	if loc, err := time.LoadLocation(r.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// xlsxBook writes sheets with a few shared styles.
type xlsxBook struct {
	f                       *excelize.File
	header, title, pct, num int
	err                     error
}

func (b *xlsxBook) style(st *excelize.Style) int {
	id, err := b.f.NewStyle(st)
	if err != nil && b.err == nil {
		b.err = err
	}
	return id
}

// sheet starts a sheet with a bold header row and returns a row writer.
func (b *xlsxBook) sheet(name string, widths []float64, header ...string) func(cells ...any) {
	if _, err := b.f.NewSheet(name); err != nil && b.err == nil {
		b.err = err
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		_ = b.f.SetColWidth(name, col, col, w)
	}
	row := 1
	put := func(cells ...any) {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := b.f.SetSheetRow(name, cell, &cells); err != nil && b.err == nil {
			b.err = err
		}
		row++
	}
	if len(header) > 0 {
		vals := make([]any, len(header))
		for i, h := range header {
			vals[i] = h
		}
		put(vals...)
		end, _ := excelize.CoordinatesToCellName(len(header), 1)
		_ = b.f.SetCellStyle(name, "A1", end, b.header)
		_ = b.f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	return put
}

// value is a figure as a cell value: a number (nil: empty).
func value(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

func writeXLSX(w io.Writer, r *Report) error {
	f := excelize.NewFile()
	defer f.Close()
	b := &xlsxBook{f: f}
	b.header = b.style(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"}, Fill: excelize.Fill{Type: "pattern", Color: []string{"1F4E79"}, Pattern: 1}})
	b.title = b.style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	b.pct = b.style(&excelize.Style{NumFmt: 10}) // 0.00%
	b.num = b.style(&excelize.Style{CustomNumFmt: ptr("0.00")})

	// Summary: every figure with its target.
	sum := b.sheet("Summary", []float64{42, 16, 14, 16})
	sum(fmt.Sprintf("Parley report: %s", r.Bot))
	_ = f.SetCellStyle("Summary", "A1", "A1", b.title)
	sum("Period", periodText(r))
	sum("Policy version", r.PolicyVersion)
	sum("Generated", r.GeneratedAt.In(location(r)).Format("2006-01-02 15:04"))
	sum("First-contact window (days)", r.FollowUpDays)
	sum()
	sum("Figure", "Value", "Target", "Meets target")
	_ = f.SetCellStyle("Summary", "A7", "D7", b.header)
	for i, row := range kpiRows {
		meets, ok := meetsTarget(row, r.KPIs)
		status := ""
		if ok {
			status = map[bool]string{true: "yes", false: "no"}[meets]
		}
		var target any
		if t, has := Targets[row.Key]; has {
			target = t
		}
		sum(row.Label, value(row.Get(r.KPIs)), target, status)
		cell := fmt.Sprintf("B%d", 8+i)
		tcell := fmt.Sprintf("C%d", 8+i)
		switch row.Kind {
		case kindRate:
			_ = f.SetCellStyle("Summary", cell, tcell, b.pct)
		case kindSeconds, kindScore:
			_ = f.SetCellStyle("Summary", cell, tcell, b.num)
		}
	}
	f.DeleteSheet("Sheet1")

	out := b.sheet("Outcomes", []float64{24, 14, 12}, "Outcome", "Conversations", "Share")
	for i, kind := range OutcomeKinds() {
		n := r.KPIs.Outcomes[kind]
		out(kind, n, value(ratio(n, r.KPIs.Conversations)))
		_ = f.SetCellStyle("Outcomes", fmt.Sprintf("C%d", i+2), fmt.Sprintf("C%d", i+2), b.pct)
	}

	if len(r.Groups) > 0 {
		name := "By " + strings.Join(r.By, ", ")
		if len(name) > 31 {
			name = name[:31]
		}
		header := append([]string{}, r.By...)
		for _, row := range kpiRows {
			header = append(header, row.Label)
		}
		widths := make([]float64, len(header))
		for i := range widths {
			widths[i] = 16
		}
		put := b.sheet(name, widths, header...)
		for gi, g := range r.Groups {
			cells := []any{}
			for _, v := range g.Key {
				cells = append(cells, or(v, "(none)"))
			}
			for _, row := range kpiRows {
				cells = append(cells, value(row.Get(g.KPIs)))
			}
			put(cells...)
			for ri, row := range kpiRows {
				if row.Kind == kindRate {
					cell, _ := excelize.CoordinatesToCellName(len(r.By)+ri+1, gi+2)
					_ = f.SetCellStyle(name, cell, cell, b.pct)
				}
			}
		}
	}

	days := b.sheet("Days", []float64{14, 14, 14, 14, 14}, "Day", "Conversations", "Containment", "Handoff rate", "CSAT average")
	for i, d := range r.Days {
		days(d.Day, d.Conversations, value(d.ContainmentRate), value(d.HandoffRate), value(d.CSATAverage))
		_ = f.SetCellStyle("Days", fmt.Sprintf("C%d", i+2), fmt.Sprintf("D%d", i+2), b.pct)
	}
	hours := b.sheet("Hours", []float64{10, 14}, "Hour", "Conversations")
	for h, n := range r.Hours {
		hours(fmt.Sprintf("%02d:00", h), n)
	}

	rules := b.sheet("Rules", []float64{10, 30, 18, 10, 14}, "Kind", "Name", "Dialog", "Applied", "Amount")
	for _, rr := range r.Rules {
		rules(rr.Kind, rr.Name, rr.Dialog, rr.Count, rr.Amount)
	}

	people := b.sheet("Handoffs and tickets", []float64{22, 22, 14, 4, 22, 12, 10}, "Handoffs by queue", "", "", "", "Tickets: queue", "Priority", "Count")
	n := max(len(r.HandoffsByQueue), len(r.Tickets), len(r.HandoffsByReason)+len(r.HandoffsByQueue)+2)
	reasons := append([]Count{{}, {Name: "Handoffs by reason"}}, r.HandoffsByReason...)
	queues := append(append([]Count{}, r.HandoffsByQueue...), reasons...)
	for i := range n {
		var cells []any
		if i < len(queues) {
			c := queues[i]
			if c.Count > 0 {
				cells = append(cells, c.Name, c.Count, "", "")
			} else {
				cells = append(cells, c.Name, "", "", "")
			}
		} else {
			cells = append(cells, "", "", "", "")
		}
		if i < len(r.Tickets) {
			t := r.Tickets[i]
			cells = append(cells, t.Queue, t.Priority, t.Count)
		}
		people(cells...)
	}

	sat := b.sheet("Satisfaction", []float64{12, 12, 4, 10, 60}, "Score", "Answers", "", "Count", "Why customers were dissatisfied (grouped comments)")
	for i := range max(5, len(r.Dissatisfied)) {
		var cells []any
		if i < 5 {
			cells = append(cells, i+1, r.KPIs.CSATDistribution[i], "")
		} else {
			cells = append(cells, "", "", "")
		}
		if i < len(r.Dissatisfied) {
			cells = append(cells, r.Dissatisfied[i].Count, r.Dissatisfied[i].Example)
		}
		sat(cells...)
	}
	un := b.sheet("Unanswered", []float64{10, 70}, "Count", "Question")
	for _, t := range r.Unanswered {
		un(t.Count, t.Example)
	}
	intents := b.sheet("Intents", []float64{28, 14}, "Intent", "Conversations")
	for _, c := range r.Intents {
		intents(c.Name, c.Count)
	}
	if b.err != nil {
		return fmt.Errorf("xlsx: %w", b.err)
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
