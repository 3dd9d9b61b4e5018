package sqlite_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/store/sqlite"
)

// BenchmarkPurgeScan times Purge over 150,000 conversations when it finds
// nothing to remove (so every iteration does the same work): "none old",
// a cutoff before every conversation began (a nightly run with nothing to
// do), and "all busy", a cutoff after every conversation began and before
// any was last updated (long conversations, the worst case for narrowing by
// creation time).
//
//	go test -run '^$' -bench PurgeScan -benchtime 20x ./engine/store/sqlite/
func BenchmarkPurgeScan(b *testing.B) {
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "purge.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 150_000
	began := time.Now().Add(-30 * 24 * time.Hour).Truncate(time.Second)
	lastUpdate := began.Add(n*2*time.Second + time.Hour)
	// Rows as a turn leaves them (a 660-byte snapshot, a 200-byte contact
	// state), written directly: committing 150,000 turns would take minutes.
	if _, err := s.DB.ExecContext(b.Context(), `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO conversations (id, customer_id, channel, status, snapshot, snapshot_seq, last_seq, created_at, updated_at, contact)
		SELECT 'conv-' || i, 'cus-' || (i % 40000), 'web', 'active', randomblob(660), 5, 7, ? + i * 2000000, ? + (abs(random()) % 3600000000), randomblob(200) FROM n`,
		n, began.UnixMicro(), lastUpdate.UnixMicro()); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		cutoff time.Time
	}{
		{"none old", began},
		{"all busy", lastUpdate},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				res, err := s.Purge(b.Context(), tc.cutoff, "system")
				if err != nil || res.Conversations != 0 {
					b.Fatalf("purge = %+v, %v; want nothing removed", res, err)
				}
			}
		})
	}
}
