package sqlite_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
)

// Tickets written before the text index (0016) are found by a search by
// their text after the upgrade: the migration indexes them. The index then
// follows every write: after an update, a purge and a deletion it still
// holds exactly the tickets' text (FTS5's integrity check compares it with the table).
func TestTicketTextFromBeforeTheUpgrade(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "parley.db")
	s := open(t, path)
	// The schema as it was before 0016.
	for _, q := range []string{
		`DROP TRIGGER tickets_text_insert`, `DROP TRIGGER tickets_text_delete`, `DROP TRIGGER tickets_text_update`,
		`DROP TABLE tickets_text`, `DELETE FROM schema_migrations WHERE version = 16`,
	} {
		if _, err := s.DB.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old := time.Now().Add(-48 * time.Hour)
	for i, tk := range []store.Ticket{
		{ID: "zh", Subject: "申请退款", Description: "订单AB123456的屏幕碎了"},
		{ID: "en", Subject: "Broken SCREEN", Description: "It's cracked"},
		{ID: "parcel", Subject: "Where is my parcel"},
	} {
		tk.Queue, tk.Status, tk.Priority, tk.CreatedAt = "general", "open", "normal", old.Add(time.Duration(i)*time.Second)
		if _, _, err := s.CreateTicket(ctx, tk, store.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	s = open(t, path)
	defer s.Close()
	search := func(when string, cases map[string][]string) {
		t.Helper()
		for text, want := range cases {
			got, err := s.Tickets(ctx, store.TicketFilter{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, tk := range got {
				ids = append(ids, tk.ID)
			}
			if diff := cmp.Diff(want, ids); diff != "" {
				t.Errorf("%s, search for %q (-want +got):\n%s", when, text, diff)
			}
		}
		if _, err := s.DB.ExecContext(ctx, `INSERT INTO tickets_text (tickets_text, rank) VALUES ('integrity-check', 1)`); err != nil {
			t.Errorf("%s, the text index differs from the tickets: %v", when, err)
		}
	}
	search("after the upgrade", map[string][]string{
		"申请退款":          {"zh"},
		"退款":            {"zh"},
		"broken screen": {"en"},
		"where is my":   {"parcel"},
	})

	// Purged: the tickets last changed before the update.
	cutoff := time.Now()
	time.Sleep(time.Millisecond)
	if _, err := s.UpdateTicket(ctx, "en", func(tk *store.Ticket) (store.AuditEntry, error) {
		tk.Subject = "Screen replaced"
		return store.AuditEntry{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Purge(ctx, cutoff, "system"); err != nil {
		t.Fatal(err)
	}
	// The store deletes no ticket; one deleted by hand leaves the index too.
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM tickets WHERE id = 'parcel'`); err != nil {
		t.Fatal(err)
	}
	search("after an update, a purge and a deletion", map[string][]string{
		"申请退款":            nil,
		"where is my":     nil,
		"screen replaced": {"en"},
		"broken screen":   nil,
	})
}
