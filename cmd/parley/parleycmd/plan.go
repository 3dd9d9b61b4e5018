package parleycmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine/plan"
)

func cmdPlan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("plan", "plan [-database DSN] [-from WHEN] [-to WHEN] [-mocks] [-json|-html] [-o FILE] NEWBOT", stderr)
	dsn := databaseFlag(fs)
	from := fs.String("from", "", `replay conversations started from then, in the bot's time zone: a date (2026-11-23), a time (2026-11-23T09:00), RFC 3339, "today", "yesterday", an age (7d, 12h) or "all"; default 7 days before -to`)
	to := fs.String("to", "", "until then (excluded), as -from; default now")
	mocks := fs.Bool("mocks", false, "answer connector calls the log never recorded from the new bot's top-level mock blocks (those outside any test)")
	asJSON := fs.Bool("json", false, "print JSON, with a top-level \"changed\" count for CI")
	asHTML := fs.Bool("html", false, "write one self-contained HTML page")
	out := fs.String("o", "", "write to this file instead of standard output")
	limit := fs.Int("limit", 20, "changed conversations shown in full in text and HTML (-1: all; JSON lists all)")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		fs.Usage()
		return &exitError{code: 2}
	}
	if *asJSON && *asHTML {
		return &exitError{code: 2, msg: "-json and -html: choose one"}
	}
	dir := positional[0]
	if *dsn == "" {
		// The conversations are where the current policies served them, not
		// in the new bot's folder.
		own := filepath.Join(dir, ".parley", "parley.db")
		if _, err := os.Stat(own); err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("%s has no recorded conversations of its own: give -database, the store the current policies serve from (a file such as examples/shop/.parley/parley.db, or postgres://...)", dir)}
		}
		*dsn = own
	} else if isEmbeddedPath(*dsn) {
		if _, err := os.Stat(*dsn); err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("-database %s: %v", *dsn, err)}
		}
	}
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
	p, err := plan.New(ctx, bot, plan.Options{Mocks: *mocks})
	if err != nil {
		return err
	}
	r, err := p.Plan(ctx, st, plan.Query{From: start, To: end, Now: now})
	if err != nil {
		return err
	}
	format := "text"
	switch {
	case *asJSON:
		format = "json"
	case *asHTML:
		format = "html"
	}
	return writeOutput(*out, stdout, func(w io.Writer) error {
		return plan.Write(w, r, bot, format, plan.WriteOptions{Limit: *limit})
	})
}

// isEmbeddedPath says whether a -database value names an embedded store file.
func isEmbeddedPath(dsn string) bool {
	return dsn != "memory" && dsn != ":memory:" && !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://")
}
