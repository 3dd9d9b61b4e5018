package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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
	_, err := sqlite.Open(t.Context(), path)
	if !errors.Is(err, sqlite.ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	// It says which process holds the database.
	var locked *sqlite.LockedError
	if runtime.GOOS != "windows" && (!errors.As(err, &locked) || locked.PID != os.Getpid()) {
		t.Errorf("second Open = %v, want a LockedError naming process %d", err, os.Getpid())
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
		if want := len(migrationFiles(t)); n != want {
			t.Errorf("schema_migrations has %d rows, want %d", n, want)
		}
		s.Close()
	}
}

func migrationFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations: %v, %d files", err, len(files))
	}
	return files
}

// TestMigrateExistingDatabase upgrades a database made by the first migration, with
// a handoff in it, to the current schema.
func TestMigrateExistingDatabase(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "parley.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	initSQL, err := os.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		string(initSQL),
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`,
		`INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0)`,
		`INSERT INTO handoffs (id, conversation_id, customer_id, queue, skill, priority, reason, summary, status, created_at)
			VALUES ('h1', 'c1', 'cus1', 'support', '', '', 'asked', 'refund', 'waiting', 1700000000000000)`,
		`INSERT INTO conversations (id, customer_id, channel, status, snapshot_seq, last_seq, created_at, updated_at)
			VALUES ('c1', 'cus1', 'web', 'active', 0, 1, 1700000000000000, 1700000000000000)`,
		`INSERT INTO events (conversation_id, seq, type, at, data) VALUES ('c1', 1, 'message_received', 1700000000000000, '{}')`,
		`INSERT INTO processed_messages (conversation_id, client_message_id, result) VALUES ('c1', 'm1', '{"r":1}')`,
		`INSERT INTO tickets (id, conversation_id, customer_id, queue, subject, priority, status, created_at)
			VALUES ('t1', 'c1', 'cus1', 'support', 'refund', 'normal', 'open', 1700000000000000)`,
		`INSERT INTO ticket_history (ticket_id, n, status, actor, at, note) VALUES ('t1', 1, 'open', 'bot', 1700000000000000, 'opened')`,
		// Ids with a gap, as AUTOINCREMENT gave them: they must survive, and the next one follow the largest.
		`INSERT INTO audit (id, at, actor, action, conversation_id, detail) VALUES (1, 1700000000000000, 'bot', 'connector.call', 'c1', '{}')`,
		`INSERT INTO audit (id, at, actor, action, conversation_id, detail) VALUES (5, 1700000001000000, 'system', 'retention.purge', '', NULL)`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s := open(t, path)
	defer s.Close()
	hs, err := s.Handoffs(ctx, store.HandoffFilter{CustomerID: "cus1", Statuses: []string{"waiting"}})
	if err != nil {
		t.Fatal(err)
	}
	created := time.UnixMicro(1700000000000000).UTC()
	want := []store.Handoff{{ID: "h1", ConversationID: "c1", CustomerID: "cus1", Queue: "support", Reason: "asked", Summary: "refund",
		Status: "waiting", CreatedAt: created, UpdatedAt: created}}
	if diff := cmp.Diff(want, hs); diff != "" {
		t.Errorf("handoff after the upgrade (-want +got):\n%s", diff)
	}
	if _, err := s.UpdateHandoff(ctx, "h1", func(h *store.Handoff) (store.AuditEntry, error) {
		h.Agent = "ann"
		return store.AuditEntry{Actor: "agent:ann", Action: "handoff.claim"}, nil
	}); err != nil {
		t.Errorf("claim after the upgrade: %v", err)
	}
	// A ticket's history from before change keys (0013) reads as it was, and
	// a key is then unique per ticket, in the table too.
	if _, err := s.UpdateTicket(ctx, "t1", noteWithKey("agent:ann:k1")); err != nil {
		t.Errorf("a keyed note after the upgrade: %v", err)
	}
	if _, err := s.UpdateTicket(ctx, "t1", noteWithKey("agent:ann:k1")); !errors.Is(err, store.ErrConflict) {
		t.Errorf("the key again after the upgrade: %v, want a conflict", err)
	}
	if tk, err := s.Ticket(ctx, "t1"); err != nil || len(tk.History) != 2 || tk.History[0].Note != "opened" || tk.History[1].Key != "agent:ann:k1" {
		t.Errorf("ticket after the upgrade = %+v, %v", tk, err)
	}
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO ticket_history (ticket_id, n, status, actor, at, note, idempotency_key)
		VALUES ('t1', 9, 'open', 'agent:ann', 0, '', 'agent:ann:k1')`); err == nil {
		t.Errorf("a second history row with key agent:ann:k1 was stored")
	}
	// The log and the processed messages survive their tables' rebuild (0010);
	// a processed message still refuses a second turn, a seq already taken a second event.
	evs, err := s.Events(ctx, "c1", 0, 0)
	if err != nil || len(evs) != 1 || evs[0].Seq != 1 || evs[0].Type != "message_received" || string(evs[0].Data) != "{}" {
		t.Errorf("log after the upgrade = %+v, %v", evs, err)
	}
	tx, err := s.Begin(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if res, ok, err := tx.Processed(ctx, "m1"); !ok || err != nil || string(res) != `{"r":1}` {
		t.Errorf("Processed(m1) after the upgrade = %s, %v, %v", res, ok, err)
	}
	if err := tx.Commit(ctx, store.TurnRecord{ClientMessageID: "m1", Events: []store.Event{{Seq: 2, Type: "message_received"}}}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a second turn for m1 after the upgrade: %v, want a conflict", err)
	}
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO events (conversation_id, seq, type, at) VALUES ('c1', 1, 'again', 0)`); err == nil {
		t.Errorf("a second event 1 of c1 after the upgrade was stored")
	}
	// The audit survives its rebuild without AUTOINCREMENT (0011); the claim
	// above took the id after the largest, and the filters still find rows.
	audit, err := s.Audit(ctx, store.AuditFilter{Forward: true, Limit: 10})
	var ids []int64
	for _, a := range audit {
		ids = append(ids, a.ID)
	}
	if diff := cmp.Diff([]int64{1, 5, 6}, ids); err != nil || diff != "" {
		t.Errorf("audit ids after the upgrade (-want +got):\n%s%v", diff, err)
	}
	if a, err := s.Audit(ctx, store.AuditFilter{Actor: "system", Action: "retention.purge"}); err != nil || len(a) != 1 || a[0].ID != 5 {
		t.Errorf("audit by actor and action after the upgrade = %+v, %v", a, err)
	}
}

// noteWithKey is an UpdateTicket change that adds a note with an
// idempotency key.
func noteWithKey(key string) func(*store.Ticket) (store.AuditEntry, error) {
	return func(tk *store.Ticket) (store.AuditEntry, error) {
		tk.History = append(tk.History, store.StatusChange{Status: tk.Status, Actor: "agent:ann", Field: "note", Note: "called", Key: key})
		return store.AuditEntry{}, nil
	}
}
