package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/store/postgres"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
	"github.com/parleyhq/parley/engine/store/storetest"
)

// BenchmarkTicketSearch times the ticket search by a contact over 100,000
// tickets (BENCHMARKS.md, the desk). It needs PARLEY_TEST_DATABASE_URL.
//
//	go test -run '^$' -bench TicketSearch -benchtime 20x ./engine/store/postgres/
func BenchmarkTicketSearch(b *testing.B) {
	url := pgtest.URL(b)
	s, err := postgres.Open(b.Context(), url, postgres.Options{Schema: pgtest.Schema(b, url)})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	began := time.Now().Add(-30 * 24 * time.Hour)
	storetest.BenchTicketSearch(b, s, func(ctx context.Context, n int) error {
		// Tickets of chats, as a turn writes them, a customer's each.
		if _, err := s.DB.ExecContext(ctx, `INSERT INTO tickets (id, conversation_id, customer_id, channel, queue, subject, description, priority, status, created_at, updated_at)
			SELECT 'chat-' || i, 'conv-' || i, 'cus-' || (i % 40000), 'web', 'general', 'Where is my parcel ' || i, 'Order ' || i || ' has not arrived.',
				'normal', 'open', $2::timestamptz + i * interval '1 second', $2::timestamptz + i * interval '1 second' FROM generate_series(1, $1::int) AS i`, n, began); err != nil {
			return err
		}
		_, err := s.DB.ExecContext(ctx, `ANALYZE tickets`)
		return err
	})
}
