package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/store/sqlite"
	"github.com/parleyhq/parley/engine/store/storetest"
)

// BenchmarkTicketSearch times the ticket search by a contact over 100,000
// tickets (BENCHMARKS.md, the desk).
//
//	go test -run '^$' -bench TicketSearch -benchtime 20x ./engine/store/sqlite/
func BenchmarkTicketSearch(b *testing.B) {
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "tickets.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	began := time.Now().Add(-30 * 24 * time.Hour).UnixMicro()
	storetest.BenchTicketSearch(b, s, func(ctx context.Context, n int) error {
		// Tickets of chats, as a turn writes them, a customer's each.
		_, err := s.DB.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
			INSERT INTO tickets (id, conversation_id, customer_id, channel, queue, subject, description, priority, status, created_at, updated_at)
			SELECT 'chat-' || i, 'conv-' || i, 'cus-' || (i % 40000), 'web', 'general', 'Where is my parcel ' || i, 'Order ' || i || ' has not arrived.',
				'normal', 'open', ? + i * 1000000, ? + i * 1000000 FROM n`, n, began, began)
		return err
	})
}
