package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
)

// A form ticket filed before its contact had columns (0015) is found by a
// search by that contact after the upgrade: the migration fills them as
// ContactKey does, from the JSON a ticket of an older release kept.
func TestTicketContactsFromBeforeTheUpgrade(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "parley.db")
	s := open(t, path)
	for _, tk := range []store.Ticket{
		{ID: "form", Subject: "Broken screen", Unverified: map[string]string{"email": "ann@example.com", "phone": "+8613900000000", "name": "Ann"}},
		{ID: "odd", Subject: "Refund", Unverified: map[string]string{"phone": "+86 (139) 1111-2222.", "name": "Bo"}},
		{ID: "chat", Subject: "Where is my parcel"},
	} {
		tk.Queue, tk.Status, tk.Priority = "general", "open", "normal"
		if _, _, err := s.CreateTicket(ctx, tk, store.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
	}
	// The schema as it was before 0015.
	for _, q := range []string{
		`DROP INDEX tickets_contact_email`, `DROP INDEX tickets_contact_phone`,
		`ALTER TABLE tickets DROP COLUMN contact_email`, `ALTER TABLE tickets DROP COLUMN contact_phone`,
		`DELETE FROM schema_migrations WHERE version = 15`,
	} {
		if _, err := s.DB.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s.Close()

	s = open(t, path)
	defer s.Close()
	for _, tc := range []struct {
		contact store.Identity
		want    []string
	}{
		{store.Identity{Channel: "email", ExternalID: "ann@example.com"}, []string{"form"}},
		{store.Identity{Channel: "phone", ExternalID: "+8613900000000"}, []string{"form"}},
		{store.Identity{Channel: "phone", ExternalID: "8613911112222"}, []string{"odd"}},
		{store.Identity{Channel: "email", ExternalID: "bo@example.com"}, nil},
	} {
		got, err := s.Tickets(ctx, store.TicketFilter{Contacts: []store.Identity{tc.contact}})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, tk := range got {
			ids = append(ids, tk.ID)
		}
		if diff := cmp.Diff(tc.want, ids); diff != "" {
			t.Errorf("search by %s after the upgrade (-want +got):\n%s", tc.contact.ExternalID, diff)
		}
	}
}
