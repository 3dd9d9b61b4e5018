package report_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/report"
)

// TestParsePeriod is every form `parley report -from/-to` and
// GET /v1/reports?from=&to= take (docs/reports.md), and the one wording of a
// bad value, naming the field.
func TestParsePeriod(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) // 10:00 in Shanghai
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, shanghai) }
	tests := []struct {
		from, to   string
		start, end time.Time
		err        string
	}{
		{from: "", to: "", start: at(2026, 11, 16, 10, 0), end: now},
		{from: "7d", to: "", start: now.Add(-7 * 24 * time.Hour), end: now},
		{from: "1d", to: "", start: now.Add(-24 * time.Hour), end: now},
		{from: "12h", to: "", start: now.Add(-12 * time.Hour), end: now},
		{from: "2w", to: "", start: now.Add(-14 * 24 * time.Hour), end: now},
		{from: "2026-11-01", to: "2026-12-01", start: at(2026, 11, 1, 0, 0), end: at(2026, 12, 1, 0, 0)},
		{from: "2026-11-20T09:30", to: "2026-11-20 17:00", start: at(2026, 11, 20, 9, 30), end: at(2026, 11, 20, 17, 0)},
		{from: "2026-11-20T09:30:15", to: "", start: at(2026, 11, 20, 9, 30).Add(15 * time.Second), end: now},
		{from: "2026-11-20T09:00:00Z", to: "2026-11-21T00:00:00+08:00", start: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), end: at(2026, 11, 21, 0, 0)},
		{from: "today", to: "", start: at(2026, 11, 23, 0, 0), end: now},
		{from: "yesterday", to: "today", start: at(2026, 11, 22, 0, 0), end: at(2026, 11, 23, 0, 0)},
		{from: "all", to: "", start: time.Time{}, end: now},
		{from: " 2026-11-01 ", to: " today ", start: at(2026, 11, 1, 0, 0), end: at(2026, 11, 23, 0, 0)},
		// to alone: the 7 days before it.
		{from: "", to: "2026-11-20", start: at(2026, 11, 13, 0, 0), end: at(2026, 11, 20, 0, 0)},
		{from: "last tuesday", err: `from "last tuesday" is not a date (2026-11-23), a time (2026-11-23T09:00), RFC 3339 (2026-11-23T09:00:00+08:00), today, yesterday or an age (7d, 12h), or all`},
		{from: "-3d", err: `from "-3d" is not a date`},
		{from: "2026-13-01", err: `from "2026-13-01" is not a date`},
		{to: "soon", err: `to "soon" is not a date (2026-11-23), a time (2026-11-23T09:00), RFC 3339 (2026-11-23T09:00:00+08:00), today, yesterday or an age (7d, 12h)`},
		{to: "all", err: `to "all" is not a date`},
		{from: "2026-11-24", to: "2026-11-20", err: "from must be before to (from 2026-11-24T00:00:00+08:00, to 2026-11-20T00:00:00+08:00)"},
		{from: "today", to: "today", err: "from must be before to"},
	}
	for _, tt := range tests {
		start, end, err := report.ParsePeriod(tt.from, tt.to, shanghai, now)
		if tt.err != "" {
			if !errors.Is(err, engine.ErrInvalidInput) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParsePeriod(%q, %q) = %v, want invalid input saying %q", tt.from, tt.to, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParsePeriod(%q, %q): %v", tt.from, tt.to, err)
			continue
		}
		if diff := cmp.Diff([]time.Time{tt.start, tt.end}, []time.Time{start, end}); diff != "" {
			t.Errorf("ParsePeriod(%q, %q) (-want +got):\n%s", tt.from, tt.to, diff)
		}
	}
}
