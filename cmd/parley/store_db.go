package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/sqlite"
)

func openEmbedded(ctx context.Context, path string) (store.Store, string, error) {
	st, err := sqlite.Open(ctx, path)
	var locked *sqlite.LockedError
	if errors.As(err, &locked) {
		who := "another process"
		if locked.PID != 0 {
			who = fmt.Sprintf("process %d", locked.PID)
		}
		return nil, "", &exitError{code: 1, msg: fmt.Sprintf("the embedded database %s is in use by %s, most likely a `parley serve` of this bot: the embedded store takes one process at a time.\n"+
			"  Stop that server, or run this command with -database memory (a throwaway store), or talk to the running server through its HTTP API.", path, who)}
	}
	if err != nil {
		return nil, "", fmt.Errorf("open embedded store: %w", err)
	}
	return st, path, nil
}
