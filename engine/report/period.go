package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine"
)

// ParsePeriod reads a report's period as `parley report -from/-to` and
// GET /v1/reports?from=&to= both take it, in the bot's time zone loc: a date
// (2026-11-23, its midnight), a time (2026-11-23T09:00), RFC 3339,
// "today" or "yesterday" (their midnight), or an age before now (7d, 12h).
// from "all" has no start (the zero time); from "" is 7 days before to; to
// "" is now, and to is excluded. A bad value is an engine.ErrInvalidInput
// naming the field, worded the same wherever it was given.
func ParsePeriod(from, to string, loc *time.Location, now time.Time) (start, end time.Time, err error) {
	end = now
	if strings.TrimSpace(to) != "" {
		if end, err = parseWhen(to, loc, now); err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("%w: to %w", engine.ErrInvalidInput, err)
		}
	}
	switch strings.TrimSpace(from) {
	case "":
		// Calendar days in loc: ?to=2026-11-20 alone is the week before
		// that day, not a period that ends before it starts.
		start = end.In(loc).AddDate(0, 0, -7)
	case "all":
	default:
		if start, err = parseWhen(from, loc, now); err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("%w: from %w, or all", engine.ErrInvalidInput, err)
		}
	}
	if !start.IsZero() && !end.After(start) {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: from must be before to (from %s, to %s)",
			engine.ErrInvalidInput, start.In(loc).Format(time.RFC3339), end.In(loc).Format(time.RFC3339))
	}
	return start, end, nil
}

// parseWhen reads one end of a period.
func parseWhen(s string, loc *time.Location, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	midnight := func(t time.Time) time.Time {
		y, m, d := t.In(loc).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	}
	switch s {
	case "today":
		return midnight(now), nil
	case "yesterday":
		return midnight(now).AddDate(0, 0, -1), nil
	}
	for _, layout := range []string{time.DateOnly, "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if age, err := ParseAge(s); err == nil {
		return now.Add(-age), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (2026-11-23), a time (2026-11-23T09:00), RFC 3339 (2026-11-23T09:00:00+08:00), today, yesterday or an age (7d, 12h)", s)
}

// ParseAge reads a duration in days and weeks as well as Go's units (7d,
// 26w, 12h), because periods and retention are written in days.
func ParseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.ParseFloat(n, 64)
			if err != nil || v <= 0 {
				return 0, fmt.Errorf("%q is not a positive number of %s", s, map[string]string{"d": "days", "w": "weeks"}[suffix])
			}
			return time.Duration(v * float64(unit)), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a duration like 1095d, 26w or 720h", s)
	}
	return d, nil
}
