package main

import (
	"context"
	"fmt"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// Replaced when the PostgreSQL store lands.
func openPostgres(ctx context.Context, url string) (store.Store, string, error) {
	_ = memstore.New
	return nil, "", fmt.Errorf("postgres store: not available in this build")
}
