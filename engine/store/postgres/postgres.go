// Package postgres is the store for several engine processes sharing one PostgreSQL
// database (with the pgvector extension).
//
// A turn holds its conversation with a lease (turns.go), taken in a short
// transaction together with loading the conversation and released by the
// commit that writes the turn: no transaction or pooled connection is held
// while a turn calls its connectors. Turns of one process queue for a
// conversation in Go first, so leases contend only across processes. Commits
// are grouped (commit.go): the turns ready together go in one pipelined
// transaction with one WAL flush, each still returning only once its own data
// is durable. Every commit notifies the other instances (changes.go), which
// wake their live connections.
//
// Knowledge chunks (knowledge.go): kb_chunks.embedding is an untyped vector
// column so that one table holds every embedder's dimension; for each dimension
// a partial HNSW index on (embedding::vector(N)) with vector_cosine_ops is
// created on first use, and searches order by the same expression so the
// planner uses it. pgvector indexes at most 2000 dimensions; larger vectors are
// searched exactly. Vectors travel in pgvector's binary format.
package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	pgxvec "github.com/pgvector/pgvector-go/pgx"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/groupcommit"
	"github.com/parleyhq/parley/engine/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options configures Open.
type Options struct {
	// Schema to use (created if missing); "" uses the connection's search_path.
	Schema string
	// MaxConns is the connection pool's size; 0 takes pool_max_conns from the
	// URL, or else DefaultMaxConns.
	MaxConns int
}

// DefaultMaxConns sizes the pool: turns hold a connection only for their two
// short round trips (Begin, the processed-message check) and the group
// committers one each, so a few per core keep every core busy, and more would
// only queue inside PostgreSQL. Each instance also opens two connections of
// its own (liveness and LISTEN).
func DefaultMaxConns() int { return committers + 3*runtime.GOMAXPROCS(0) }

// Store is the PostgreSQL store.
type Store struct {
	*sqlstore.Store
	pool      *pgxpool.Pool
	closeOnce sync.Once
	closed    atomic.Bool
	indexed   sync.Map // dims -> true once its HNSW index exists
	kbSizes   sync.Map // dims -> kbSize, see smallKB
	vectorOID atomic.Uint32

	holder   int64     // this instance, in leases and notifications
	live     *pgx.Conn // holds the instance's liveness lock
	liveMu   sync.Mutex
	leases   sync.Map // token -> conversation id, of this process's turns in progress
	commits  *groupcommit.Queue[pendingTurn]
	channel  string // NOTIFY channel of the schema
	lifetime context.Context
	stop     context.CancelFunc
	bg       sync.WaitGroup
}

var (
	_ store.Store          = (*Store)(nil)
	_ store.GroupCommitter = (*Store)(nil)
)

// Open connects, creates the schema if needed and runs Migrate.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	switch {
	case opts.MaxConns > 0:
		cfg.MaxConns = int32(opts.MaxConns)
	case !strings.Contains(url, "pool_max_conns"):
		cfg.MaxConns = int32(DefaultMaxConns())
	}
	vectorSchema, err := ensureVector(ctx, cfg.ConnConfig)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	s := &Store{}
	var searchPath string
	var searchArgs []any
	switch {
	case opts.Schema != "":
		// The store's own schema first (its tables), then pgvector's (its type
		// and operators), then public.
		path := []string{opts.Schema}
		for _, s := range []string{vectorSchema, "public"} {
			if !slices.Contains(path, s) {
				path = append(path, s)
			}
		}
		searchPath = "SET search_path TO " + quoteIdentifiers(path)
	default:
		// The connection's own search path, plus pgvector's schema when the path
		// leaves it out: a URL's search_path=tenant picks the store's schema but
		// drops public, where pgvector usually is.
		searchPath = `SELECT set_config('search_path', current_setting('search_path') || ', ' || quote_ident($1), false) WHERE NOT $1 = ANY(current_schemas(false))`
		searchArgs = []any{vectorSchema}
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		if _, err := conn.Exec(ctx, searchPath, searchArgs...); err != nil {
			return err
		}
		// The HNSW candidate list for every search on the connection (see
		// knowledge.go): a session setting costs no round trip per search.
		if _, err := conn.Exec(ctx, `SELECT set_config('hnsw.ef_search', $1, false)`, fmt.Sprint(hnswEFSearch)); err != nil {
			return err
		}
		if oid := s.vectorOID.Load(); oid != 0 {
			conn.TypeMap().RegisterType(&pgtype.Type{Name: "vector", OID: oid, Codec: &pgxvec.VectorCodec{}})
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	s.pool = pool
	if opts.Schema != "" {
		// Instances starting together race on IF NOT EXISTS; losing the race is fine.
		if _, err := pool.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{opts.Schema}.Sanitize()); err != nil && !isDuplicate(err) {
			pool.Close()
			return nil, fmt.Errorf("open postgres: create schema: %w", err)
		}
	}
	s.Store = sqlstore.New(stdlib.OpenDBFromPool(pool), sqlstore.Dialect{
		Dollar:       true,
		Time:         func(t time.Time) any { return t },
		OrderCol:     "ord",
		TryLockTurn:  s.tryLockForPurge,
		UnlockTurn:   s.unlockForPurge,
		LockRows:     true,
		IsDuplicate:  isDuplicate,
		UpsertChunks: s.upsertChunks,
		SearchChunks: s.searchChunks,
	})
	s.lifetime, s.stop = context.WithCancel(context.Background())
	if err := s.start(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return s, nil
}

// start migrates, then starts what runs beside the turns: the liveness lock,
// lease renewal and the group committers.
func (s *Store) start(ctx context.Context) error {
	if err := s.Migrate(ctx); err != nil {
		return err
	}
	var oid uint32
	if err := s.pool.QueryRow(ctx, `SELECT to_regtype('vector')::oid`).Scan(&oid); err != nil {
		return fmt.Errorf("vector type: %w", err)
	}
	s.vectorOID.Store(oid)
	s.pool.Reset() // connections made before this register the type when made again
	if err := s.pool.QueryRow(ctx, `SELECT 'parley_changes.' || current_schema()`).Scan(&s.channel); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	if len(s.channel) > 63 {
		s.channel = s.channel[:63] // PostgreSQL cuts identifiers there too
	}
	if err := s.indexExisting(ctx); err != nil {
		return err
	}
	if err := s.lockLiveness(ctx); err != nil {
		return err
	}
	s.commits = groupcommit.New(committers, maxGroupTurns, s.commitGroup)
	s.bg.Go(func() { s.maintain(s.lifetime) })
	return nil
}

// lockLiveness picks this instance's holder id and holds its advisory lock on
// a connection of its own for as long as the store is open.
func (s *Store) lockLiveness(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("liveness connection: %w", err)
	}
	for range 100 {
		var b [4]byte
		_, _ = rand.Read(b[:])
		id := int64(binary.BigEndian.Uint32(b[:])&0x7fffffff) | 1
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, leaseClass, id).Scan(&ok); err != nil {
			conn.Close(ctx) //nolint:errcheck
			return fmt.Errorf("liveness lock: %w", err)
		}
		if ok {
			s.holder, s.live = id, conn
			return nil
		}
	}
	conn.Close(ctx) //nolint:errcheck
	return errors.New("liveness lock: no free instance id")
}

// maintain keeps the instance's liveness lock and its leases until ctx ends.
func (s *Store) maintain(ctx context.Context) {
	tick := time.NewTicker(livenessEvery)
	defer tick.Stop()
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		s.keepAlive(ctx)
		if n%int(leaseTTL/3/livenessEvery) == 0 {
			s.renewLeases(ctx)
		}
		if n%int(dropLeasesEvery/livenessEvery) == 0 {
			s.dropLeases(ctx)
		}
	}
}

const (
	// livenessEvery is how often the liveness connection is checked.
	livenessEvery = 5 * time.Second
	// dropLeasesEvery is how often an instance deletes old released leases.
	dropLeasesEvery = 10 * time.Minute
)

// keepAlive checks the liveness connection and, when it broke (and with it
// the lock, so other instances may take this one's leases), makes it again
// with the same id.
func (s *Store) keepAlive(ctx context.Context) {
	s.liveMu.Lock()
	defer s.liveMu.Unlock()
	pctx, cancel := context.WithTimeout(ctx, livenessEvery)
	defer cancel()
	if err := s.live.Ping(pctx); err == nil {
		return
	}
	s.live.Close(pctx) //nolint:errcheck
	conn, err := pgx.ConnectConfig(pctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return
	}
	var ok bool
	if conn.QueryRow(pctx, `SELECT pg_try_advisory_lock($1, $2)`, leaseClass, s.holder).Scan(&ok) == nil && ok {
		s.live = conn
		return
	}
	conn.Close(pctx) //nolint:errcheck
}

// tryLockForPurge takes the conversation's lease inside Purge's transaction
// (as a turn would; see takeLease), so no turn of another instance starts on
// it until the purge commits; unlockForPurge drops it in the same transaction.
func (s *Store) tryLockForPurge(ctx context.Context, tx *sql.Tx, id string) (bool, error) {
	var token string
	err := tx.QueryRowContext(ctx, takeLease, id, s.holder, "purge", leaseTTL.Seconds()).Scan(&token)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func (s *Store) unlockForPurge(ctx context.Context, tx *sql.Tx, id string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM turn_leases WHERE conversation_id = $1 AND token = 'purge'`, id)
	return err
}

// Migrate applies the embedded migrations not yet in schema_migrations. It holds a
// session advisory lock meanwhile, so instances starting together apply each
// migration once.
func (s *Store) Migrate(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(`+migrateLock+`)`); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer func() {
		// A fresh context: the unlock must happen even if ctx was cancelled.
		uctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, `SELECT pg_advisory_unlock(`+migrateLock+`)`); err != nil {
			conn.Conn().Close(uctx) // closing the session releases the lock
		}
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	files, err := sqlstore.ReadMigrations(migrations)
	if err != nil {
		return err
	}
	for _, m := range files {
		var done bool
		if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, m.Version).Scan(&done); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if done {
			continue
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, m.Version)
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
	}
	return ensureTicketText(ctx, conn.Conn(), files)
}

// ticketTextMigration leaves out the trigram indexes of the ticket search
// where pg_trgm is missing or this role may not create it.
const ticketTextMigration = 17

// ensureTicketText runs ticketTextMigration again while its indexes are
// missing, so that an administrator creating pg_trgm later is all it takes.
func ensureTicketText(ctx context.Context, conn *pgx.Conn, files []sqlstore.Migration) error {
	var there bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('tickets_subject_trgm') IS NOT NULL AND to_regclass('tickets_description_trgm') IS NOT NULL`).Scan(&there); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if there {
		return nil
	}
	for _, m := range files {
		if m.Version == ticketTextMigration {
			if _, err := conn.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("migrate %s again: %w", m.Name, err)
			}
		}
	}
	return nil
}

// migrateLock serialises schema changes across instances and schemas: CREATE
// EXTENSION is database-wide.
const migrateLock = `hashtext('parley.migrate')`

// ensureVector makes sure pgvector is installed in the database and returns the
// schema it lives in, which every store's search path then includes. It is
// created in public, never in a store's schema: CREATE EXTENSION puts it in the
// first schema of the search path, a store's own, where the stores of other
// schemas in the database cannot see its type ("type vector does not exist").
// An earlier Parley did just that; such an extension is moved to public.
func ensureVector(ctx context.Context, cfg *pgx.ConnConfig) (string, error) {
	conn, err := pgx.ConnectConfig(ctx, cfg.Copy())
	if err != nil {
		return "", err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(`+migrateLock+`)`); err != nil {
		return "", fmt.Errorf("pgvector: lock: %w", err)
	}
	// Closing the connection releases the lock too, whatever happens here.
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+migrateLock+`)`)
	var schema string
	err = conn.QueryRow(ctx, `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'vector'`).Scan(&schema)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if _, err := conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public`); err != nil {
			return "", fmt.Errorf("pgvector extension (install it with scripts/dev-postgres.sh or your package manager): %w", err)
		}
		return "public", nil
	case err != nil:
		return "", fmt.Errorf("pgvector: %w", err)
	case schema == "public":
		return schema, nil
	}
	var parleys bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'schema_migrations')`, schema).Scan(&parleys); err != nil {
		return "", fmt.Errorf("pgvector: %w", err)
	}
	if !parleys {
		return schema, nil // a schema for extensions, as some hosts keep
	}
	if _, err := conn.Exec(ctx, `ALTER EXTENSION vector SET SCHEMA public`); err != nil {
		return "", fmt.Errorf("pgvector is installed in schema %q, a Parley store's, where other schemas cannot see it; move it with ALTER EXTENSION vector SET SCHEMA public as its owner: %w", schema, err)
	}
	return "public", nil
}

func quoteIdentifiers(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = pgx.Identifier{n}.Sanitize()
	}
	return strings.Join(quoted, ", ")
}

// Close rolls back the turns in progress (their leases go with them), lets
// the commits in progress finish, and closes the pool.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		if s.Store != nil {
			s.MarkClosed()
		}
		if s.commits != nil {
			s.commits.Close()
		}
		if s.stop != nil {
			s.stop()
		}
		s.bg.Wait()
		if s.live != nil {
			s.live.Close(context.Background()) //nolint:errcheck
		}
		if s.Store != nil {
			_ = s.DB.Close()
		}
		s.pool.Close()
	})
	return nil
}

// Pool exposes the connection pool, for health checks and tools.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// wrapErr reports ErrClosed for what failed because the store was closed.
func (s *Store) wrapErr(err error) error {
	if err != nil && s.closed.Load() {
		return store.ErrClosed
	}
	return err
}

// isDuplicate reports a unique violation or an object that already exists, which
// concurrent CREATE ... IF NOT EXISTS statements can raise.
func isDuplicate(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "23505" || pgErr.Code == "42P06")
}

// GroupCommits says how many group commits the store made and how many turns
// they held (store.GroupCommitter).
func (s *Store) GroupCommits() (commits, turns int64) {
	if s.commits == nil {
		return 0, 0
	}
	st := s.commits.Stats()
	return st.Batches, st.Items
}
