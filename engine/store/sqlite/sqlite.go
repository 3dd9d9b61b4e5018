// Package sqlite is the embedded default store: one SQLite file (pure Go, no cgo),
// WAL mode with synchronous=FULL, so a process killed mid-conversation loses nothing
// that was committed.
//
// The store is single-process: Open takes an exclusive lock on "<path>.lock" and a
// second process opening the same file fails with ErrLocked. Within the process,
// turns on different conversations run in parallel and turns on one conversation
// serialize; writes go through one connection (SQLite has one writer), where
// the turns that are ready together share one transaction and one fsync
// (group commit, in sqlstore). Use the postgres store to run several engine
// processes against one database.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// ErrLocked: another process has the database open.
var ErrLocked = errors.New("sqlite database is in use by another process")

// LockedError is ErrLocked with the process that holds the database, when
// known (PID 0: unknown).
type LockedError struct{ PID int }

func (e *LockedError) Error() string {
	if e.PID == 0 {
		return ErrLocked.Error()
	}
	return fmt.Sprintf("%s (process %d)", ErrLocked, e.PID)
}

func (e *LockedError) Unwrap() error { return ErrLocked }

// Store is the SQLite store.
type Store struct {
	*sqlstore.Store
	lock *os.File
}

var (
	_ store.Store          = (*Store)(nil)
	_ store.GroupCommitter = (*Store)(nil)
)

// Open opens (creating if needed) the database file at path and migrates it.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || path == ":memory:" {
		return nil, fmt.Errorf("open sqlite: a file path is required (use memstore for memory)")
	}
	lock, err := lockFile(path + ".lock")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	gatherWALWrites()
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)", "busy_timeout(10000)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		_ = unlockFile(lock)
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// A few connections let reads run beside the single writer (WAL); the
	// writer and its checkpointer take two of them.
	db.SetMaxOpenConns(10)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{
		Store: sqlstore.New(db, sqlstore.Dialect{
			Time:            func(t time.Time) any { return t.UnixMicro() },
			OrderCol:        "rowid",
			SerializeWrites: true,
			TicketText:      "tickets_text",
			LikeFoldsASCII:  true,
		}),
		lock: lock,
	}
	err = s.migrate(ctx)
	if err == nil {
		err = s.StartWriter(ctx)
	}
	if err != nil {
		_ = db.Close()
		_ = unlockFile(lock)
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return s, nil
}

// migrate applies the embedded migrations not yet recorded in schema_migrations.
func (s *Store) migrate(ctx context.Context) error {
	db := s.DB
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	files, err := sqlstore.ReadMigrations(migrations)
	if err != nil {
		return err
	}
	for _, m := range files {
		var one int
		err := db.QueryRowContext(ctx, `SELECT 1 FROM schema_migrations WHERE version = ?`, m.Version).Scan(&one)
		if err == nil {
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("migrate: %w", err)
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, m.Version, time.Now().UnixMicro()); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
	}
	return nil
}

// Close closes the database and releases the process lock. Turns still open fail
// on Commit with store.ErrClosed; nothing they did is written.
func (s *Store) Close() error {
	if s.lock == nil {
		return nil
	}
	s.MarkClosed()
	err := s.CloseDB()
	if uerr := unlockFile(s.lock); err == nil {
		err = uerr
	}
	s.lock = nil
	return err
}
