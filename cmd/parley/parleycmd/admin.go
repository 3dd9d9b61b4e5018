package parleycmd

import (
	"context"
	"fmt"
	"io"
	"os/user"
	"strconv"
	"strings"
	"time"
)

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", "migrate [-database DSN] [DIR]", stderr)
	dsn := databaseFlag(fs)
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	dir := "."
	if len(positional) > 0 {
		dir = positional[0]
	}
	// Opening a store runs its migrations, under a lock so instances starting
	// together don't race.
	st, where, err := openStore(ctx, *dsn, dir)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(stdout, "migrated %s\n", where)
	return nil
}

func cmdPurge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("purge", "purge [-older-than 1095d] [-database DSN] [-actor NAME] [DIR]", stderr)
	olderThan := fs.String("older-than", "1095d", "purge conversations with no activity for this long (e.g. 1095d, 26w, 720h)")
	dsn := databaseFlag(fs)
	actor := fs.String("actor", "", "who runs the purge, for the audit log (default: the OS user)")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	age, err := parseAge(*olderThan)
	if err != nil {
		return &exitError{code: 2, msg: "-older-than: " + err.Error()}
	}
	dir := "."
	if len(positional) > 0 {
		dir = positional[0]
	}
	who := *actor
	if who == "" {
		who = "cli"
		if u, err := user.Current(); err == nil {
			who = u.Username
		}
	}
	st, where, err := openStore(ctx, *dsn, dir)
	if err != nil {
		return err
	}
	defer st.Close()
	before := time.Now().Add(-age)
	res, err := st.Purge(ctx, before, "admin:"+who)
	if err != nil {
		return fmt.Errorf("purge: %w", err)
	}
	fmt.Fprintf(stdout, "purged %d conversations (%d events) inactive since %s from %s\n", res.Conversations, res.Events, before.Format(time.DateOnly), where)
	return nil
}

// parseAge reads durations in days and weeks as well as Go's units, because
// retention periods are written in days.
func parseAge(s string) (time.Duration, error) {
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
