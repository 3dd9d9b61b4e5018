package policies

import (
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Report is a report `parley serve` sends on a schedule, by email.
type Report struct {
	Name       string
	Schedule   Schedule
	Format     string   // one of ReportFormats; default xlsx
	Recipients []string // email addresses
	By         []string // dimensions (ReportDimensions); none: totals only
	Range      hcl.Range
}

// Schedule is when a report goes out, in the bot's time zone (business_hours'
// time_zone, else UTC): every day, or every week on Weekday, at At.
type Schedule struct {
	Weekly  bool
	Weekday time.Weekday
	At      int // minutes after midnight
	Text    string
}

// ReportFormats are what a scheduled report can be sent as.
var ReportFormats = []string{"xlsx", "pdf", "html", "csv", "json"}

// ReportDimensions are what reports can break figures down by.
var ReportDimensions = []string{"day", "week", "hour", "channel", "queue", "intent", "dialog", "language", "agent", "policy_version", "outcome"}

var reportSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "schedule", Required: true},
		{Name: "format"},
		{Name: "recipients", Required: true},
		{Name: "by"},
	},
}

// decodeReport reads a report block.
func decodeReport(block *hcl.Block) (*Report, hcl.Diagnostics) {
	r := &Report{Name: block.Labels[0], Format: "xlsx", Range: block.DefRange}
	content, diags := block.Body.Content(reportSchema)
	attrs := content.Attributes
	if attr, ok := attrs["schedule"]; ok {
		s, present, more := literalString(attr.Expr)
		diags = append(diags, more...)
		if present {
			sch, err := ParseSchedule(s)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid schedule",
					Detail:   fmt.Sprintf("%q: %s. Write \"daily 07:00\" or \"weekly monday 08:30\" (in the bot's time zone).", s, err),
					Subject:  attr.Expr.Range().Ptr(),
				})
			}
			r.Schedule = sch
		}
	}
	if attr, ok := attrs["format"]; ok {
		s, present, more := literalString(attr.Expr)
		diags = append(diags, more...)
		if present {
			diags = append(diags, oneOf(attr, s, ReportFormats, "report format")...)
			r.Format = s
		}
	}
	if attr, ok := attrs["recipients"]; ok {
		list, _, more := attrStringList(attrs, "recipients")
		diags = append(diags, more...)
		for _, to := range list {
			if _, err := mail.ParseAddress(to); err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid email address",
					Detail:   fmt.Sprintf("%q is not an email address.", to),
					Subject:  attr.Expr.Range().Ptr(),
				})
			}
		}
		if len(list) == 0 && !more.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "No recipients",
				Detail:   `A report goes to at least one address, like recipients = ["ops@example.com"].`,
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
		r.Recipients = list
	}
	if attr, ok := attrs["by"]; ok {
		list, _, more := attrStringList(attrs, "by")
		diags = append(diags, more...)
		for _, dim := range list {
			diags = append(diags, oneOf(attr, dim, ReportDimensions, "report dimension")...)
		}
		r.By = list
	}
	return r, diags
}

// ParseSchedule reads "daily HH:MM" or "weekly DAY HH:MM".
func ParseSchedule(s string) (Schedule, error) {
	sch := Schedule{Text: s}
	f := strings.Fields(strings.ToLower(s))
	switch {
	case len(f) == 2 && f[0] == "daily":
	case len(f) == 3 && f[0] == "weekly":
		days := []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}
		found := false
		for i, d := range days {
			if d == f[1] {
				sch.Weekly, sch.Weekday, found = true, time.Weekday(i), true
			}
		}
		if !found {
			return sch, fmt.Errorf("%q is not a day of the week", f[1])
		}
	default:
		return sch, fmt.Errorf("not a schedule")
	}
	at, err := parseClock(f[len(f)-1])
	if err != nil {
		return sch, err
	}
	if at >= 24*60 {
		return sch, fmt.Errorf("%q is not a time of day", f[len(f)-1])
	}
	sch.At = at
	return sch, nil
}

// Location is where the bot's days begin and end: its business hours' time
// zone, else UTC. Reports count days and hours there.
func (b *Bot) Location() *time.Location {
	if b.BusinessHours != nil && b.BusinessHours.Location != nil {
		return b.BusinessHours.Location
	}
	return time.UTC
}
