// Package pgtest gives tests a real PostgreSQL: the server's URL, and a fresh
// schema per test so tests never see each other's rows.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultURL is where scripts/dev-postgres.sh starts the test server.
const DefaultURL = "postgres://postgres:postgres@127.0.0.1:5432/parley_test?sslmode=disable"

// URL returns the test server's URL (PARLEY_TEST_DATABASE_URL or DefaultURL).
// An unreachable server skips the test, except in CI (CI=true) where it fails:
// a green CI must mean the PostgreSQL tests ran.
func URL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("PARLEY_TEST_DATABASE_URL")
	if url == "" {
		url = DefaultURL
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err == nil {
		err = conn.Ping(ctx)
		conn.Close(ctx)
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL not reachable at %s: %v", url, err)
		}
		t.Skipf("PostgreSQL not reachable at %s; start it with scripts/dev-postgres.sh (%v)", url, err)
	}
	return url
}

// Schema returns a fresh schema name, dropped when the test ends. Cleanups run
// last-registered first, so stores opened after this call close before the drop.
func Schema(t testing.TB, url string) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "parley_test_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}
