package sqlite_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/store"
)

// A ticket an API caller filed before its Idempotency-Key became the
// caller's own (0012) is found by that caller's retry after the upgrade:
// the same ticket, not a second one.
func TestTicketKeyFromBeforeTheUpgrade(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "parley.db")
	s := open(t, path)
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ticket := func(id, key, actor string) store.Ticket {
		return store.Ticket{ID: id, Subject: "Refund", Status: "open", Queue: "support", Priority: "normal", SourceKey: key, CreatedAt: at,
			History: []store.StatusChange{{Status: "open", Actor: actor, At: at, To: "open"}}}
	}
	if _, _, err := s.CreateTicket(ctx, ticket("t1", "api:k-1", "agent:ann"), store.AuditEntry{Actor: "agent:ann", Action: "ticket.create"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateTicket(ctx, ticket("t2", "<m1@example.com>", "channel:email"), store.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = 12`); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = open(t, path)
	defer s.Close()
	for _, tc := range []struct{ key, id string }{{"api:ann:k-1", "t1"}, {"<m1@example.com>", "t2"}} {
		got, created, err := s.CreateTicket(ctx, ticket("t3", tc.key, "agent:ann"), store.AuditEntry{})
		if err != nil || created || got.ID != tc.id {
			t.Errorf("retry with %s after the upgrade = %s, created %v, %v; want %s", tc.key, got.ID, created, err, tc.id)
		}
	}
}
