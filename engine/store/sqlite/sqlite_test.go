package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/sqlite"
	"github.com/parleyhq/parley/engine/store/storetest"
)

func open(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	paths := map[store.Store]string{}
	storetest.Exercise(t, func(t *testing.T) store.Store {
		path := filepath.Join(t.TempDir(), "parley.db")
		s := open(t, path)
		paths[s] = path
		return s
	}, storetest.Options{
		Reopen: func(t *testing.T, s store.Store) store.Store {
			path := paths[s]
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			return open(t, path)
		},
	})
}

func TestSecondOpenFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parley.db")
	s := open(t, path)
	if _, err := sqlite.Open(t.Context(), path); !errors.Is(err, sqlite.ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, path) // the lock was released
	s.Close()
}

func TestMigrationsAreIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parley.db")
	for range 3 {
		s := open(t, path)
		var n int
		if err := s.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("schema_migrations has %d rows, want 1", n)
		}
		s.Close()
	}
}
