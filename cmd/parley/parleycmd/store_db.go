package parleycmd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/sqlite"
)

// What to do when a server holds the embedded database: commands that
// write (or serve) can use a throwaway store; those that read what the
// server recorded (report, plan) need the recording, so a copy of it.
const (
	inUseHint     = "Stop that server, or run this command with -database memory (a throwaway store), or talk to the running server through its HTTP API."
	inUseReadHint = "Stop that server, or run this command on a copy of the database: `sqlite3 %[1]s \".backup /tmp/parley-copy.db\"` " +
		"makes a consistent one while the server runs (or copy %[1]s and %[1]s-wal together while it is idle), then -database /tmp/parley-copy.db."
)

func openEmbedded(ctx context.Context, path, hint string) (store.Store, string, error) {
	st, err := sqlite.Open(ctx, path)
	var locked *sqlite.LockedError
	if errors.As(err, &locked) {
		who := "another process"
		if locked.PID != 0 {
			who = fmt.Sprintf("process %d", locked.PID)
		}
		if strings.Contains(hint, "%[1]s") {
			hint = fmt.Sprintf(hint, path)
		}
		return nil, "", &exitError{code: 1, msg: fmt.Sprintf("the embedded database %s is in use by %s, most likely a `parley serve` of this bot: the embedded store takes one process at a time.\n  %s", path, who, hint)}
	}
	if err != nil {
		return nil, "", fmt.Errorf("open embedded store: %w", err)
	}
	return st, path, nil
}
