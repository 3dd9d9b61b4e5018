package parleycmd

import (
	"context"
	"net/url"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/postgres"
)

func openPostgres(ctx context.Context, dsn string) (store.Store, string, error) {
	st, err := postgres.Open(ctx, dsn, postgres.Options{})
	if err != nil {
		return nil, "", err // already says "open postgres"
	}
	return st, redactURL(dsn), nil
}

// redactURL hides the password when saying where conversations are kept.
func redactURL(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres"
	}
	return u.Redacted()
}
