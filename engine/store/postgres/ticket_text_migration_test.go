package postgres_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
)

// Tickets written before the trigram indexes (0017) are found by a search by
// their text after the upgrade, and the search's own condition is one the
// indexes serve, also where they were missing after the migration.
func TestTicketTextFromBeforeTheUpgrade(t *testing.T) {
	ctx := t.Context()
	url := databaseURL(t)
	s := open(t, url, newSchema(t, url))
	defer s.Close()
	// The schema as it was before 0017 (the extension stays: the database's
	// other schemas may use it).
	for _, q := range []string{
		`DROP INDEX tickets_subject_trgm`, `DROP INDEX tickets_description_trgm`, `DELETE FROM schema_migrations WHERE version = 17`,
	} {
		if _, err := s.DB.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	at := time.Now().Add(-time.Hour)
	for i, tk := range []store.Ticket{
		{ID: "zh", Subject: "申请退款", Description: "订单AB123456的屏幕碎了"},
		{ID: "en", Subject: "Broken SCREEN", Description: "It's cracked"},
		{ID: "parcel", Subject: "Where is my parcel"},
	} {
		tk.Queue, tk.Status, tk.Priority, tk.CreatedAt = "general", "open", "normal", at.Add(time.Duration(i)*time.Second)
		if _, _, err := s.CreateTicket(ctx, tk, store.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string][]string{
		"申请退款":          {"zh"},
		"退款":            {"zh"},
		"屏幕碎了":          {"zh"},
		"broken screen": {"en"},
		"where is my":   {"parcel"},
	} {
		got, err := s.Tickets(ctx, store.TicketFilter{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, tk := range got {
			ids = append(ids, tk.ID)
		}
		if diff := cmp.Diff(want, ids); diff != "" {
			t.Errorf("search for %q after the upgrade (-want +got):\n%s", text, diff)
		}
	}

	// Indexes gone with the migration done, as where pg_trgm could not be
	// created then: the next start makes them.
	if _, err := s.DB.ExecContext(ctx, `DROP INDEX tickets_subject_trgm; DROP INDEX tickets_description_trgm`); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	// Three tickets read quickest by a scan; without one, the plan shows
	// whether an index serves LOWER(...) LIKE, Chinese included.
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck
	if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	for _, col := range []string{"subject", "description"} {
		rows, err := tx.QueryContext(ctx, `EXPLAIN SELECT id FROM tickets WHERE LOWER(`+col+`) LIKE $1`, "%屏幕碎了%")
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		rows.Close()
		if !strings.Contains(strings.Join(plan, "\n"), "tickets_"+col+"_trgm") {
			t.Errorf("a search of the %s uses no trigram index:\n%s", col, strings.Join(plan, "\n"))
		}
	}
}
