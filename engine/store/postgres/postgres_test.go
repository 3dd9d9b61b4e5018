package postgres_test

import (
	"context"
	"errors"
	neturl "net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/postgres"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
	"github.com/parleyhq/parley/engine/store/storetest"
)

func databaseURL(t *testing.T) string { return pgtest.URL(t) }

func newSchema(t *testing.T, url string) string { return pgtest.Schema(t, url) }

func open(t *testing.T, url, schema string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), url, postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	url := databaseURL(t)
	var mu sync.Mutex
	schemas := map[store.Store]string{}
	storetest.Exercise(t, func(t *testing.T) store.Store {
		schema := newSchema(t, url)
		s := open(t, url, schema)
		mu.Lock()
		schemas[s] = schema
		mu.Unlock()
		return s
	}, storetest.Options{
		Reopen: func(t *testing.T, s store.Store) store.Store {
			mu.Lock()
			schema := schemas[s]
			mu.Unlock()
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			return open(t, url, schema)
		},
	})
}

// TestTwoEngines runs two stores (two pools, as two engine processes would) on one
// schema.
func TestTwoEngines(t *testing.T) {
	url := databaseURL(t)
	schema := newSchema(t, url)
	// Both migrate at once: the advisory lock makes that safe.
	engines := make([]*postgres.Store, 2)
	var wg sync.WaitGroup
	for i := range engines {
		wg.Go(func() {
			s, err := postgres.Open(t.Context(), url, postgres.Options{Schema: schema})
			if err != nil {
				t.Error(err)
				return
			}
			engines[i] = s
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for _, s := range engines {
		t.Cleanup(func() { s.Close() })
	}
	ctx := t.Context()

	t.Run("SerializeOneConversation", func(t *testing.T) {
		const n = 20
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				s := engines[i%2]
				tx, err := s.Begin(ctx, "shared")
				if err != nil {
					t.Error(err)
					return
				}
				last := tx.Conversation().LastSeq
				if err := tx.Commit(ctx, store.TurnRecord{Events: []store.Event{{Seq: last + 1, Type: "m"}}}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		storetest.CheckLog(t, engines[0], "shared", n)
	})

	t.Run("LockHoldsAcrossEngines", func(t *testing.T) {
		held, err := engines[0].Begin(ctx, "a")
		if err != nil {
			t.Fatal(err)
		}
		short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		if tx, err := engines[1].Begin(short, "a"); !errors.Is(err, context.DeadlineExceeded) {
			if err == nil {
				tx.Rollback(ctx)
			}
			t.Errorf("second engine Begin on a held conversation = %v, want DeadlineExceeded", err)
		}
		// A different conversation goes through while a is held.
		done := make(chan error, 1)
		go func() {
			tx, err := engines[1].Begin(ctx, "b")
			if err == nil {
				err = tx.Commit(ctx, store.TurnRecord{Events: []store.Event{{Seq: 1, Type: "m"}}})
			}
			done <- err
		}()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		// The waiter gets the conversation, with the holder's commit, once it ends.
		got := make(chan int64, 1)
		go func() {
			tx, err := engines[1].Begin(ctx, "a")
			if err != nil {
				t.Error(err)
				got <- -1
				return
			}
			got <- tx.Conversation().LastSeq
			tx.Rollback(ctx)
		}()
		if err := held.Commit(ctx, store.TurnRecord{Events: []store.Event{{Seq: 1, Type: "m"}}}); err != nil {
			t.Fatal(err)
		}
		if seq := <-got; seq != 1 {
			t.Errorf("second engine saw LastSeq %d, want 1", seq)
		}
	})

	t.Run("ConcurrentResolveCustomer", func(t *testing.T) {
		var wg sync.WaitGroup
		ids := make([]string, 10)
		for i := range ids {
			wg.Go(func() {
				c, err := engines[i%2].ResolveCustomer(ctx, "email", "x@example.com")
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = c.ID
			})
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Fatalf("ids = %v, want one customer", ids)
			}
		}
	})
}

func TestUnreachableIsAnError(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err := postgres.Open(ctx, "postgres://nobody:x@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", postgres.Options{})
	if err == nil {
		t.Fatal("Open on a closed port succeeded")
	}
}

// TestMigrateExistingDatabase upgrades a schema made by the first migration, with a
// handoff in it, to the current one.
func TestMigrateExistingDatabase(t *testing.T) {
	url := databaseURL(t)
	schema := newSchema(t, url)
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	initSQL, err := os.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	for _, stmt := range []string{
		`CREATE EXTENSION IF NOT EXISTS vector`,
		`CREATE SCHEMA ` + pgx.Identifier{schema}.Sanitize(),
		`SET search_path TO ` + pgx.Identifier{schema}.Sanitize() + `, public`,
		string(initSQL),
		`CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
		`INSERT INTO schema_migrations (version) VALUES (1)`,
		`INSERT INTO handoffs (id, conversation_id, customer_id, queue, skill, priority, reason, summary, status, created_at)
			VALUES ('h1', 'c1', 'cus1', 'support', '', '', 'asked', 'refund', 'waiting', '2024-05-01T10:00:00Z')`,
		`INSERT INTO tickets (id, conversation_id, customer_id, queue, subject, priority, status, created_at)
			VALUES ('t1', 'c1', 'cus1', 'support', 'refund', 'normal', 'open', '2024-05-01T10:00:00Z')`,
		`INSERT INTO ticket_history (ticket_id, n, status, actor, at, note) VALUES ('t1', 1, 'open', 'bot', '2024-05-01T10:00:00Z', 'opened')`,
	} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			conn.Close(ctx)
			t.Fatalf("%.40s: %v", stmt, err)
		}
	}
	conn.Close(ctx)

	s := open(t, url, schema)
	defer s.Close()
	hs, err := s.Handoffs(ctx, store.HandoffFilter{CustomerID: "cus1", Statuses: []string{"waiting"}})
	if err != nil {
		t.Fatal(err)
	}
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
	// A ticket's history from before change keys (0014) reads as it was, and
	// a key is then unique per ticket, in the table too.
	note := func(tk *store.Ticket) (store.AuditEntry, error) {
		tk.History = append(tk.History, store.StatusChange{Status: tk.Status, Actor: "agent:ann", Field: "note", Note: "called", Key: "agent:ann:k1"})
		return store.AuditEntry{}, nil
	}
	if _, err := s.UpdateTicket(ctx, "t1", note); err != nil {
		t.Errorf("a keyed note after the upgrade: %v", err)
	}
	if _, err := s.UpdateTicket(ctx, "t1", note); !errors.Is(err, store.ErrConflict) {
		t.Errorf("the key again after the upgrade: %v, want a conflict", err)
	}
	if tk, err := s.Ticket(ctx, "t1"); err != nil || len(tk.History) != 2 || tk.History[0].Note != "opened" || tk.History[1].Key != "agent:ann:k1" {
		t.Errorf("ticket after the upgrade = %+v, %v", tk, err)
	}
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO ticket_history (ticket_id, n, status, actor, at, note, idempotency_key)
		VALUES ('t1', 9, 'open', 'agent:ann', now(), '', 'agent:ann:k1')`); err == nil {
		t.Errorf("a second history row with key agent:ann:k1 was stored")
	}
	// Running the migrations again changes nothing.
	if err := s.Migrate(ctx); err != nil {
		t.Errorf("second Migrate: %v", err)
	}
}

// TestSchemasShareOneFreshDatabase: two stores, each in its own schema of one
// fresh database, both work, pgvector and all. The first used to create the
// extension in its own schema, and the second then failed with "type vector
// does not exist".
func TestSchemasShareOneFreshDatabase(t *testing.T) {
	url := pgtest.Database(t, databaseURL(t))
	for _, schema := range []string{"tenant_a", "tenant_b"} {
		s := open(t, url, schema)
		t.Cleanup(func() { s.Close() })
		exerciseVectors(t, s)
	}
	if got := vectorSchema(t, url); got != "public" {
		t.Errorf("pgvector is in schema %q, want public", got)
	}
}

// TestVectorInATenantSchemaIsMoved: a database where an earlier Parley put
// pgvector in its own schema is repaired when the next store opens.
func TestVectorInATenantSchemaIsMoved(t *testing.T) {
	url := pgtest.Database(t, databaseURL(t))
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`CREATE SCHEMA tenant_a`,
		`CREATE EXTENSION vector WITH SCHEMA tenant_a`,
		`CREATE TABLE tenant_a.schema_migrations (version integer PRIMARY KEY)`,
	} {
		if _, err := conn.Exec(t.Context(), stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	conn.Close(t.Context())
	for _, schema := range []string{"tenant_b", "tenant_a"} {
		s := open(t, url, schema)
		t.Cleanup(func() { s.Close() })
		exerciseVectors(t, s)
	}
	if got := vectorSchema(t, url); got != "public" {
		t.Errorf("pgvector is in schema %q, want public", got)
	}
}

func exerciseVectors(t *testing.T, s *postgres.Store) {
	t.Helper()
	ctx := t.Context()
	if err := s.UpsertChunks(ctx, []store.Chunk{{ID: "k1", Source: "faq.md", Title: "Delivery", Content: "two days", Hash: "h", Embedder: "e", Embedding: []float32{1, 0, 0}}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.SearchChunks(ctx, []float32{1, 0, 0}, 1)
	if err != nil || len(got) != 1 || got[0].ID != "k1" {
		t.Fatalf("SearchChunks = %+v, %v", got, err)
	}
}

func vectorSchema(t *testing.T, url string) string {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var schema string
	if err := conn.QueryRow(t.Context(), `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'vector'`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	return schema
}

// TestSearchPathInTheURL: a store whose schema is picked by the URL's
// search_path (as a user of parley -database would), one without public,
// still finds pgvector's type in public.
func TestSearchPathInTheURL(t *testing.T) {
	base := databaseURL(t)
	u, err := neturl.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	schema := newSchema(t, base)
	conn, err := pgx.Connect(t.Context(), base)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(t.Context(), "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize())
	conn.Close(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s := open(t, u.String(), "")
	t.Cleanup(func() { s.Close() })
	exerciseVectors(t, s)
}
