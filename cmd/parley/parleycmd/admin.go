package parleycmd

import (
	"context"
	"fmt"
	"io"
	"os/user"
	"time"

	"github.com/parleyhq/parley/engine/report"
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
	age, err := report.ParseAge(*olderThan)
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
