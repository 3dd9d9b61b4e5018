package report_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/report"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/postgres"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
	"github.com/parleyhq/parley/engine/store/sqlite"
)

// benchRows is how many outcome rows the report benchmarks aggregate
// (PARLEY_BENCH_ROWS, default 1,000,000).
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("PARLEY_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

var benchStart = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)

// benchRow is the i-th made-up outcome row, spread over 90 days.
func benchRow(rng *rand.Rand, i int) []any {
	kinds := []string{"bot_resolved", "bot_resolved", "bot_resolved", "bot_resolved", "bot_resolved", "bot_resolved", "agent_resolved", "ticket", "abandoned", "not_understood"}
	started := benchStart.Add(time.Duration(rng.Int64N(int64(90 * 24 * time.Hour))))
	kind := kinds[rng.IntN(len(kinds))]
	var qw, fr, hm, score, follow any
	handoffs, queue := 0, ""
	if kind == "agent_resolved" {
		handoffs, queue = 1, []string{"general", "priority", "vip"}[rng.IntN(3)]
		qw, fr, hm = rng.Int64N(300_000), rng.Int64N(400_000), rng.Int64N(900_000)
	}
	if rng.IntN(4) == 0 {
		score = 1 + rng.IntN(5)
	}
	if rng.IntN(8) == 0 {
		follow = rng.Int64N(30 * 86400)
	}
	row := []any{fmt.Sprintf("b%07d", i), 1, 6, fmt.Sprintf("cus%06d", rng.IntN(300_000)), []string{"web", "sms", "email"}[rng.IntN(3)], "en", "abc", "",
		started, started.Truncate(time.Hour), started.Add(3 * time.Minute), started.Add(33 * time.Minute), started.Format("2006-01-02"), started.Format("2006-01-02"), started.Hour(),
		kind, []string{"track_order", "refund", "change_address", "human"}[rng.IntN(4)], "track_order", queue, "", "",
		3, rng.IntN(2), 0, 0, handoffs, 0, "", "", 3, 900, 2, 1, 0, 0, 0, 0, 0, 0, qw, fr, hm, 0, score, "", follow}
	return row
}

const benchCols = `conversation_id, contact_seq, last_seq, customer_id, channel, language, policy_version, policy_label,
	started_at, hour_utc, ended_at, settled_at, day, week, hour, outcome, intent, dialog, queue, reason, agent,
	messages, not_understood, kb_answered, unanswered, handoffs, tickets, ticket_queue, ticket_priority,
	bot_replies, bot_reply_ms, rt0, rt1, rt2, rt3, rt4, rt5, rt6, rt7, queue_wait_ms, first_reply_ms, handle_ms,
	survey_asked, score, comment, followup_s`

func benchSQLite(b *testing.B, n int) (store.Store, *sql.DB) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	tx, err := st.DB.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	ph := "?" + strings_repeat(", ?", 45)
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO outcomes ("+benchCols+") VALUES ("+ph+")")
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range n {
		row := benchRow(rng, i)
		for _, j := range []int{8, 9, 10, 11} {
			row[j] = row[j].(time.Time).UnixMicro()
		}
		if _, err := stmt.ExecContext(ctx, row...); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if err := st.RebuildRollups(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := st.DB.ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return st, st.DB
}

func strings_repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

func benchPostgres(b *testing.B, n int) (store.Store, *sql.DB) {
	ctx := context.Background()
	url := pgtest.URL(b)
	st, err := postgres.Open(ctx, url, postgres.Options{Schema: pgtest.Schema(b, url)})
	if err != nil {
		b.Fatal(err)
	}
	conn, err := st.Pool().Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	i := 0
	cols := splitCols(benchCols)
	if _, err := conn.Conn().CopyFrom(ctx, pgx.Identifier{"outcomes"}, cols, pgx.CopyFromFunc(func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		i++
		return benchRow(rng, i-1), nil
	})); err != nil {
		b.Fatal(err)
	}
	conn.Release()
	if err := st.RebuildRollups(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := st.DB.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return st, st.DB
}

func splitCols(s string) []string {
	var out []string
	cur := ""
	for _, r := range s {
		switch r {
		case ',':
			out = append(out, cur)
			cur = ""
		case ' ', '\n', '\t':
		default:
			cur += string(r)
		}
	}
	return append(out, cur)
}

// BenchmarkReport is `parley report` over a million outcome rows (every figure,
// the breakdowns, rules and themes), against a plain COUNT(*) of the same table.
func BenchmarkReport(b *testing.B) {
	n := benchRows()
	bot := enginetest.Load(b, enginetest.ShopDir())
	for _, tc := range []struct {
		name string
		open func(*testing.B, int) (store.Store, *sql.DB)
	}{{"sqlite", benchSQLite}, {"postgres", benchPostgres}} {
		b.Run(tc.name, func(b *testing.B) {
			st, db := tc.open(b, n)
			defer st.Close()
			ctx := context.Background()
			b.Run("count", func(b *testing.B) {
				for b.Loop() {
					var got int
					if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM outcomes").Scan(&got); err != nil || got != n {
						b.Fatalf("count = %d, %v", got, err)
					}
				}
			})
			b.Run("report", func(b *testing.B) {
				for b.Loop() {
					r, err := report.Build(ctx, st, bot, report.Options{From: benchStart, To: benchStart.AddDate(0, 0, 90), Themes: true})
					if err != nil || r.KPIs.Conversations != n {
						b.Fatalf("report: %d conversations, %v", r.KPIs.Conversations, err)
					}
				}
			})
			b.Run("report_by_day_channel", func(b *testing.B) {
				for b.Loop() {
					if _, err := report.Build(ctx, st, bot, report.Options{From: benchStart, To: benchStart.AddDate(0, 0, 90), By: []string{"day", "channel"}}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
