package parleycmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/report"
	"github.com/parleyhq/parley/engine/store"
)

// listFlag collects a flag given several times or as a comma list.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", "report [-database DSN] [-from WHEN] [-to WHEN] [-by DIMENSION...] [-format table|csv|json|xlsx|html|pdf] [-o FILE] DIR", stderr)
	dsn := databaseFlag(fs)
	from := fs.String("from", "", `start of the period, in the bot's time zone: a date (2026-11-23), a time (2026-11-23T09:00), RFC 3339, "today", "yesterday", an age (7d, 12h) or "all"; default 7 days before -to`)
	to := fs.String("to", "", "end of the period (excluded), as -from but all; default now")
	var by listFlag
	fs.Var(&by, "by", "break the figures down by "+strings.Join(store.OutcomeDimensions, ", ")+" (repeat or comma-separate)")
	format := fs.String("format", "table", "table, csv, json, xlsx, html or pdf")
	out := fs.String("o", "", "write to this file instead of standard output")
	window := fs.String("fcr-window", "7d", "a customer back about the same intent within this counts against first-contact resolution: 1d, 3d, 7d, 14d or 30d")
	themes := fs.Bool("themes", true, "group dissatisfied comments and unanswered questions into themes")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		fs.Usage()
		return &exitError{code: 2}
	}
	if !slices.Contains(report.Formats, *format) {
		return &exitError{code: 2, msg: fmt.Sprintf("-format %q: use one of %s", *format, strings.Join(report.Formats, ", "))}
	}
	for _, d := range by {
		if !slices.Contains(store.OutcomeDimensions, d) {
			return &exitError{code: 2, msg: fmt.Sprintf("-by %q: use one of %s", d, strings.Join(store.OutcomeDimensions, ", "))}
		}
	}
	fcr, err := report.ParseAge(*window)
	if err == nil {
		_, err = store.CheckFollowUpWindow(fcr)
	}
	if err != nil {
		return &exitError{code: 2, msg: "-fcr-window: " + strings.TrimPrefix(err.Error(), "invalid: ")}
	}
	dir := positional[0]
	bot, err := loadBot(ctx, dir, stderr)
	if err != nil {
		return err
	}
	now := time.Now()
	start, end, err := parsePeriod(*from, *to, bot.Location(), now)
	if err != nil {
		return err
	}
	st, _, err := openStoreToRead(ctx, *dsn, dir)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := report.Build(ctx, st, bot, report.Options{From: start, To: end, By: by, FollowUpWindow: fcr, Themes: *themes, Now: now})
	if err != nil {
		return err
	}
	return writeOutput(*out, stdout, func(w io.Writer) error { return report.Write(ctx, w, r, *format) })
}

// writeOutput writes to path (atomically: a failed write leaves no half
// file) or, when path is "", to stdout.
func writeOutput(path string, stdout io.Writer, write func(w io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(dirOf(path), ".parley-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		if errors.Is(err, report.ErrNoBrowser) {
			return &exitError{code: 1, msg: err.Error()}
		}
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}

// parsePeriod reads -from and -to as GET /v1/reports reads from and to
// (report.ParsePeriod), with the same words for a bad value.
func parsePeriod(from, to string, loc *time.Location, now time.Time) (time.Time, time.Time, error) {
	start, end, err := report.ParsePeriod(from, to, loc, now)
	if err != nil {
		return time.Time{}, time.Time{}, &exitError{code: 2, msg: strings.TrimPrefix(err.Error(), engine.ErrInvalidInput.Error()+": ")}
	}
	return start, end, nil
}

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "export audit|conversations [-database DSN] [-from WHEN] [-to WHEN] [-format jsonl|csv] [-o FILE] DIR", stderr)
	dsn := databaseFlag(fs)
	from := fs.String("from", "all", "start of the period (see parley report -h); default: the beginning")
	to := fs.String("to", "", "end of the period (excluded); default now")
	format := fs.String("format", "jsonl", "jsonl or csv")
	out := fs.String("o", "", "write to this file instead of standard output")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 2 || positional[0] != "audit" && positional[0] != "conversations" {
		fs.Usage()
		return &exitError{code: 2}
	}
	if !slices.Contains(report.ExportFormats, *format) {
		return &exitError{code: 2, msg: fmt.Sprintf("-format %q: use jsonl or csv", *format)}
	}
	what, dir := positional[0], positional[1]
	bot, err := loadBot(ctx, dir, stderr)
	if err != nil {
		return err
	}
	start, end, err := parsePeriod(*from, *to, bot.Location(), time.Now())
	if err != nil {
		return err
	}
	st, _, err := openStoreToRead(ctx, *dsn, dir)
	if err != nil {
		return err
	}
	defer st.Close()
	var n int
	err = writeOutput(*out, stdout, func(w io.Writer) error {
		var err error
		if what == "audit" {
			n, err = report.ExportAudit(ctx, st, bot, w, *format, start, end)
		} else {
			n, err = report.ExportConversations(ctx, st, bot, w, *format, start, end)
		}
		return err
	})
	if err != nil {
		return err
	}
	unit := map[string]string{"audit": "audit entries", "conversations": "conversation events"}[what]
	fmt.Fprintf(stderr, "parley: exported %d %s\n", n, unit)
	return nil
}
