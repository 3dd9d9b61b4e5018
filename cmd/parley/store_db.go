package main

import (
	"context"
	"fmt"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/sqlite"
)

func openEmbedded(ctx context.Context, path string) (store.Store, string, error) {
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, "", fmt.Errorf("open embedded store: %w", err)
	}
	return st, path, nil
}
