package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"
)

// TestBatchStopsAtAFailedTurn: a turn after a failed one is never written
// outside the batch's transaction. Some SQLite errors (a full disk, an I/O
// error) roll the transaction back themselves; the first turn here does that,
// and the second must then be written inside a new transaction, and reported
// as written, or not written at all and reported as failed.
func TestBatchStopsAtAFailedTurn(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "w.db")+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (k INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	s := New(db, Dialect{})
	if err := s.StartWriter(ctx); err != nil {
		t.Fatal(err)
	}
	defer s.writer.close()

	diskFull := errors.New("disk full")
	rolledBackBySQLite := []Stmt{{Do: func(ctx context.Context, q Querier, _ *Group) error {
		if _, err := q.ExecContext(ctx, "ROLLBACK"); err != nil {
			return err
		}
		return diskFull
	}}}
	insert := func(k int) []Stmt { return []Stmt{{Query: "INSERT INTO t (k) VALUES (?)", Args: []any{k}, Want: 1}} }
	conflict := []Stmt{{Query: "INSERT INTO t (k) VALUES (1)", Want: 1}} // the same key as the first insert

	errs := s.writer.commitBatch([][]Stmt{insert(1), rolledBackBySQLite, insert(2), conflict, insert(3)})
	want := []bool{true, false, true, false, true} // written
	for i, err := range errs {
		if (err == nil) != want[i] {
			t.Errorf("turn %d: error %v, want written = %v", i, err, want[i])
		}
	}
	if !errors.Is(errs[1], diskFull) {
		t.Errorf("turn 1: %v, want its own error", errs[1])
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 3 {
		t.Errorf("rows = %d (%v), want the 3 reported written", n, err)
	}
}

// TestRestartLog: while turns keep committing, the write-ahead log starts
// over after restartLog instead of growing without bound.
func TestRestartLog(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)"); err != nil {
		t.Fatal(err)
	}
	s := New(db, Dialect{SerializeWrites: true})
	if err := s.StartWriter(ctx); err != nil {
		t.Fatal(err)
	}
	defer s.writer.close()
	// Background checkpoints off: this test checkpoints itself.
	close(s.writer.stopCkpt)
	<-s.writer.ckptDone
	s.writer.stopCkpt = make(chan struct{})
	k := 0
	insert := func(n int) {
		for range n {
			k++
			if err := s.writer.commit([]Stmt{{Query: "INSERT INTO t (k, v) VALUES (?, zeroblob(3000))", Args: []any{k}, Want: 1}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	insert(300)
	s.writer.restartLog()
	insert(1)
	if frames, _ := s.writer.checkpoint(); frames > 10 {
		t.Errorf("log frames after restartLog and one more turn: %d, want a few", frames)
	}
}
