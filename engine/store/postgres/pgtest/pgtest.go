// Package pgtest gives tests a real PostgreSQL: the server's URL, and a fresh
// schema per test so tests never see each other's rows.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	neturl "net/url"
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

// Database creates a fresh, empty database on the test server (no pgvector
// yet, no schemas but public) and returns its URL; it is dropped when the test
// ends, after the stores opened on it have closed.
func Database(t testing.TB, url string) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "parley_test_db_" + hex.EncodeToString(b)
	// Creating and dropping a database checkpoint the server: slow while other
	// tests keep it busy.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, url)
		if err == nil {
			defer conn.Close(ctx)
			_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		}
		if err != nil {
			// What the test checked still holds; say what is left behind.
			t.Logf("drop database %s (left on the server): %v", name, err)
		}
	})
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	u, err := neturl.Parse(url)
	if err != nil || cfg.Database == "" {
		t.Fatalf("cannot point %s at another database: %v", url, err)
	}
	u.Path = "/" + name
	return u.String()
}
