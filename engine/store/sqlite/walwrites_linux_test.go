//go:build linux && (amd64 || arm64)

package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestWALWritesGathered: with the log's frames gathered into one write a
// commit, every commit is in the files by the time it returns (a copy of the
// database and its log, taken while the connection is still open, recovers
// every committed row and none of a rolled-back transaction), including
// transactions large enough to spill pages into the log before COMMIT, and
// frames overwritten in place.
func TestWALWritesGathered(t *testing.T) {
	gatherWALWrites()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "t.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := conn.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// A 10-page cache spills a large transaction's pages into the log early.
	exec("PRAGMA wal_autocheckpoint = 0")
	exec("PRAGMA cache_size = 10")
	exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)")
	frames0, flushes0 := walFrames.Load(), walFlushes.Load()

	want := 0
	row := func(i int) []byte { return bytes.Repeat([]byte{byte(i)}, 700) }
	for i := range 50 { // small commits
		exec("INSERT INTO t (id, v) VALUES (?, ?)", i, row(i))
		want++
	}
	big := func(from, n int) {
		exec("BEGIN")
		for i := from; i < from+n; i++ {
			exec("INSERT INTO t (id, v) VALUES (?, ?)", i, row(i))
		}
		// Reads pages spilled earlier in the same transaction, the latest of
		// them still held, then rewrites them.
		var sum int
		if err := conn.QueryRowContext(ctx, "SELECT SUM(length(v)) FROM t WHERE id >= ?", from).Scan(&sum); err != nil || sum != n*700 {
			t.Fatalf("reading the transaction's own rows: %d bytes, %v; want %d", sum, err, n*700)
		}
		exec("UPDATE t SET v = ? WHERE id >= ? AND id < ?", row(7), from+n/2, from+n)
	}
	big(1000, 2000)
	exec("ROLLBACK")
	big(5000, 2000)
	exec("COMMIT")
	want += 2000
	// That COMMIT rewrote the checksums of the frames it had spilled, its
	// own commit frame's last.
	checkCopy(t, dir, want)
	for i := 9000; i < 9020; i++ {
		exec("INSERT INTO t (id, v) VALUES (?, ?)", i, row(i))
		want++
	}

	frames, flushes := walFrames.Load()-frames0, walFlushes.Load()-flushes0
	if frames < 100 || flushes*2 > frames {
		t.Errorf("%d frames in %d writes; want frames gathered into fewer writes", frames, flushes)
	}

	// A copy taken now, as a crash would leave the files.
	checkCopy(t, dir, want)
}

// checkCopy copies the database and its log, opens the copy (which
// recovers the log) and checks what it holds.
func checkCopy(t *testing.T, dir string, want int) {
	t.Helper()
	ctx := context.Background()
	copyDir := t.TempDir()
	for _, name := range []string{"t.db", "t.db-wal"} {
		copyFile(t, filepath.Join(dir, name), filepath.Join(copyDir, name))
	}
	cp, err := sql.Open("sqlite", "file:"+filepath.Join(copyDir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	var check string
	if err := cp.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check of the copy: %q, %v", check, err)
	}
	var n, updated, rolledBack int
	err = cp.QueryRowContext(ctx, `SELECT COUNT(*),
		COUNT(*) FILTER (WHERE id >= 6000 AND id < 7000 AND v = ?),
		COUNT(*) FILTER (WHERE id >= 1000 AND id < 3000) FROM t`, bytes.Repeat([]byte{7}, 700)).Scan(&n, &updated, &rolledBack)
	if err != nil {
		t.Fatal(err)
	}
	if n != want || updated != 1000 || rolledBack != 0 {
		t.Errorf("copy holds %d rows (%d updated, %d rolled back); want %d (1000, 0)", n, updated, rolledBack, want)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}
