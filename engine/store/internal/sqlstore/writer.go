package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/groupcommit"
)

// writer is the single-process store's committer: one connection that writes
// the turns queued meanwhile in one transaction, and one fsync at COMMIT makes
// them all durable. A turn that fails (a conflict) fails alone. Its
// statements are prepared once.
//
// Checkpoints, which copy the write-ahead log back into the database file and
// fsync it, are kept off the commit path: by default SQLite runs one inside
// the COMMIT that grows the log past 1,000 pages, and every turn queued behind
// that commit waited for it. The writer's connection does not checkpoint;
// a goroutine on a connection of its own runs PASSIVE checkpoints, which never
// block the writer, at most every checkpointEvery while turns commit.
//
// The COMMIT fsyncs. Syncing the log outside the writer's serial section (the
// COMMIT at synchronous=NORMAL, then an fdatasync of the log by a second
// committer while the next group writes) was tried and measured worse: p99 at
// 2,000 messages/s 53–123 ms against 38–48 ms (BENCHMARKS.md, issue 16).
type writer struct {
	s     *Store
	conn  *sql.Conn
	stmts map[string]*sql.Stmt // prepared on conn; used by one commit at a time
	queue *groupcommit.Queue[[]Stmt]

	ckpt     *sql.Conn
	kick     chan struct{} // buffered(1): something was committed
	stopCkpt chan struct{}
	ckptDone chan struct{}
}

// writerCacheKB is the writer connection's page cache. Bigger is not
// better: at the end of every transaction SQLite scans the cache's whole hash
// table (pcache1TruncateUnsafe), which with 32 MB was 6-8% of the server's
// CPU, inside the writer's serial section. With 4 MB the scan is under 1%;
// the pages it no longer holds are read again from the OS's cache, which
// costs less (BenchmarkTurnEmbeddedAlone: 4 MB 531-534 cpu-µs/turn, 8 MB 557,
// 32 MB 571).
const writerCacheKB = 4 << 10

// checkpointEvery paces background checkpoints: each one fsyncs the
// database file, and the log grows by what commits in between.
const checkpointEvery = 500 * time.Millisecond

// maxGroup bounds one commit: beyond it, a bigger batch saves little and
// holds the writer longer.
const maxGroup = 256

func (s *Store) startWriter(ctx context.Context) error {
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("writer connection: %w", err)
	}
	ckpt, err := s.DB.Conn(ctx)
	if err == nil {
		_, err = conn.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0")
	}
	if err == nil {
		// The writer's page cache stays valid from one commit to the next (it
		// made them), so it keeps the B-tree pages turns write to in memory
		// (but see writerCacheKB). Readers' caches are emptied by every
		// commit: theirs stay small.
		_, err = conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", -writerCacheKB))
	}
	if err != nil {
		conn.Close()
		if ckpt != nil {
			ckpt.Close()
		}
		return fmt.Errorf("writer connection: %w", err)
	}
	w := &writer{s: s, conn: conn, stmts: map[string]*sql.Stmt{}, ckpt: ckpt,
		kick: make(chan struct{}, 1), stopCkpt: make(chan struct{}), ckptDone: make(chan struct{})}
	w.queue = groupcommit.New(1, maxGroup, w.commitBatch)
	go w.checkpoints()
	s.writer = w
	return nil
}

// checkpoints runs PASSIVE checkpoints in the background until close.
func (w *writer) checkpoints() {
	defer close(w.ckptDone)
	for {
		select {
		case <-w.stopCkpt:
			return
		case <-w.kick:
		}
		if frames, _ := w.checkpoint(); frames > restartLogFrames {
			w.restartLog()
		}
		select {
		case <-w.stopCkpt:
			return
		case <-time.After(checkpointEvery):
		}
	}
}

// restartLogFrames is how long the write-ahead log may grow (in pages: 256
// MB of 4 KB pages) before restartLog lets the writer start it over. At
// 2,000 messages/s the log grows by about 70 MB a second; 256 MB gave a lower
// p99 than 64 MB (36–43 against 44–46 ms over 40 s runs): fewer restarts,
// each holding writes off as briefly.
const restartLogFrames = 64 << 10

// checkpoint runs a PASSIVE checkpoint: it copies what it can of the log into
// the database without blocking anyone. It returns the log's length and how
// much of it is now in the database (frames).
func (w *writer) checkpoint() (frames, copied int) {
	var busy int
	err := w.ckpt.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
	if err != nil {
		return 0, 0
	}
	return frames, copied
}

// restartLog brings the log to a point where the next write starts it over
// from its beginning. SQLite restarts the log only when a write begins with
// the whole log copied into the database; while turns keep committing,
// background checkpoints never catch up with the writer, and the log grew
// without bound (1.3 GB after 30 s at 1,500 messages/s), each append
// allocating disk for the fsync to journal. So: checkpoint in the background
// until a pass finds little new to copy, then copy the rest (what came in
// during that short pass) with writes held off for a moment. When the passes
// do not catch up (an overloaded machine), it tries again later, unless the
// log is already four times its bound.
func (w *writer) restartLog() {
	prev, caughtUp := -1, false
	for range 10 {
		frames, copied := w.checkpoint()
		if frames == 0 {
			return // restarted meanwhile
		}
		if prev >= 0 && copied-prev < restartHeldFrames {
			caughtUp = true
			break
		}
		prev = copied
	}
	if !caughtUp {
		if frames, _ := w.checkpoint(); frames < 4*restartLogFrames {
			return
		}
	}
	w.s.writeMu <- struct{}{}
	defer func() { <-w.s.writeMu }()
	w.checkpoint()
}

// restartHeldFrames: a background pass that copied fewer new frames than
// this was short, so about as few came in meanwhile, and copying those with
// writes held off takes a few milliseconds (1 MB and an fsync).
const restartHeldFrames = 256

// GroupCommits says how many group commits the writer made and how many
// turns they held (store.GroupCommitter); zero for a store without a writer.
func (s *Store) GroupCommits() (commits, turns int64) {
	if s.writer == nil {
		return 0, 0
	}
	st := s.writer.queue.Stats()
	return st.Batches, st.Items
}

// commit queues one turn's statements and waits until they are durable.
func (w *writer) commit(stmts []Stmt) error {
	err := w.queue.Do(stmts)
	if errors.Is(err, groupcommit.ErrClosed) {
		return store.ErrClosed
	}
	return err
}

func (w *writer) close() {
	w.queue.Close()
	close(w.stopCkpt)
	<-w.ckptDone
	_ = w.ckpt.Close()
	for _, st := range w.stmts {
		_ = st.Close()
	}
	_ = w.conn.Close()
}

// commitBatch writes turns in one transaction and returns once they are
// durable. The queue runs one commit at a time, so it alone uses the writer's
// connection and statements.
func (w *writer) commitBatch(batch [][]Stmt) []error {
	// Not the callers' contexts: they wait for the outcome whatever happens to
	// them, and a half-written batch must not be cut off.
	ctx := context.Background()
	errs := make([]error, len(batch))
	live := make([]int, len(batch))
	for i := range live {
		live[i] = i
	}
	fail := func(err error) []error {
		for _, i := range live {
			errs[i] = err
		}
		return errs
	}
	if err := w.s.check(); err != nil {
		return fail(err)
	}
	// Other writes (agents, tickets, purges) take the same lock between batches.
	w.s.writeMu <- struct{}{}
	defer func() { <-w.s.writeMu }()
	// A turn that fails (a conflict) leaves its partial writes in the
	// transaction: the batch is rolled back at once and written again without
	// it. Nothing runs after a failure, because some SQLite errors (a full
	// disk, an I/O error) roll the transaction back themselves, and the
	// statements after them would each commit on their own. Failures are rare,
	// so this costs less than a savepoint around each turn.
	for len(live) > 0 {
		if err := w.exec(ctx, "BEGIN IMMEDIATE"); err != nil {
			return fail(fmt.Errorf("begin: %w", err))
		}
		g := NewGroup()
		failed := -1
		for k, i := range live {
			if err := w.run(ctx, g, batch[i]); err != nil {
				errs[i], failed = err, k
				break
			}
		}
		if failed >= 0 {
			live = slices.Delete(live, failed, failed+1)
			if err := w.rollback(ctx); err != nil {
				return fail(err)
			}
			continue
		}
		// Through the writer's prepared statements: compiling the ~50-column
		// rollup upserts again for every group was 7% of the server's CPU in
		// the open loop, inside the writer's serial section.
		if err := g.Flush(ctx, w.s, preparedConn{w}); err != nil {
			if rerr := w.rollback(ctx); rerr != nil {
				return fail(rerr)
			}
			return fail(fmt.Errorf("rollups: %w", err))
		}
		if err := w.exec(ctx, "COMMIT"); err != nil {
			_ = w.rollback(ctx)
			return fail(fmt.Errorf("commit: %w", err))
		}
		select {
		case w.kick <- struct{}{}:
		default:
		}
		return errs
	}
	return errs
}

// rollback ends the batch's transaction. SQLite may have rolled it back
// already (after a full disk or an I/O error), which is what was wanted.
func (w *writer) rollback(ctx context.Context) error {
	err := w.exec(ctx, "ROLLBACK")
	if err != nil && strings.Contains(err.Error(), "no transaction is active") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("roll back: %w", err)
	}
	return nil
}

// run executes one turn's statements and checks their row counts.
func (w *writer) run(ctx context.Context, g *Group, stmts []Stmt) error {
	for _, st := range stmts {
		if st.Do != nil {
			if err := st.Do(ctx, preparedConn{w}, g); err != nil {
				return err
			}
			continue
		}
		ps, err := w.prepare(ctx, st.Query)
		if err != nil {
			return err
		}
		res, err := ps.ExecContext(ctx, st.Args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if err := st.Check(n); err != nil {
			return err
		}
		if st.Counted != nil {
			st.Counted(g, n)
		}
	}
	return nil
}

func (w *writer) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	if ps, ok := w.stmts[query]; ok {
		return ps, nil
	}
	ps, err := w.conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	w.stmts[query] = ps
	return ps, nil
}

// preparedConn runs a Do step's queries on the writer's connection through
// statements prepared once: compiling them again for every turn cost more
// than running them.
type preparedConn struct{ w *writer }

func (c preparedConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ps, err := c.w.prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	return ps.ExecContext(ctx, args...)
}

func (c preparedConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ps, err := c.w.prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	return ps.QueryContext(ctx, args...)
}

func (c preparedConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ps, err := c.w.prepare(ctx, query)
	if err != nil {
		return c.w.conn.QueryRowContext(ctx, query, args...) // reports the error
	}
	return ps.QueryRowContext(ctx, args...)
}

// exec runs a statement without arguments (BEGIN, SAVEPOINT...), prepared once.
func (w *writer) exec(ctx context.Context, query string) error {
	ps, err := w.prepare(ctx, query)
	if err != nil {
		return err
	}
	_, err = ps.ExecContext(ctx)
	return err
}

// prepared statements on the pool, for the reads every turn makes; nil when
// a statement cannot be prepared (the caller then runs the query as is).
func (s *Store) prepared(ctx context.Context, query string) *sql.Stmt {
	if ps, ok := s.stmtCache.Load(query); ok {
		return ps.(*sql.Stmt)
	}
	ps, err := s.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if old, loaded := s.stmtCache.LoadOrStore(query, ps); loaded {
		_ = ps.Close()
		return old.(*sql.Stmt)
	}
	return ps
}

// queryRow and query run query (with ? placeholders) on q, through a prepared
// statement when q is the pool.
func (s *Store) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	query = s.q(query)
	if db, ok := q.(*sql.DB); ok && db == s.DB {
		if ps := s.prepared(ctx, query); ps != nil {
			return ps.QueryRowContext(ctx, args...)
		}
	}
	return q.QueryRowContext(ctx, query, args...)
}

func (s *Store) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	query = s.q(query)
	if db, ok := q.(*sql.DB); ok && db == s.DB {
		if ps := s.prepared(ctx, query); ps != nil {
			return ps.QueryContext(ctx, args...)
		}
	}
	return q.QueryContext(ctx, query, args...)
}

// closeStatements closes the pool's prepared statements.
func (s *Store) closeStatements() {
	s.stmtCache.Range(func(k, v any) bool {
		_ = v.(*sql.Stmt).Close()
		s.stmtCache.Delete(k)
		return true
	})
}
