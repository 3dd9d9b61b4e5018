// Package postgres is the store for several engine processes sharing one PostgreSQL
// database (with the pgvector extension).
//
// A turn holds a transaction from Begin to Commit/Rollback and, inside it, a
// transaction-level advisory lock on the conversation (keyed by schema and id), so
// turns on one conversation serialize across processes and a crashed process's
// lock disappears with its connection. Waiters in the same process queue in Go
// first, so they do not hold pool connections.
//
// Knowledge chunks: kb_chunks.embedding is an untyped vector column so that one
// table holds every embedder's dimension; for each dimension a partial HNSW index on
// (embedding::vector(N)) with vector_cosine_ops is created on first use, and
// searches order by the same expression so the planner uses it. pgvector indexes at
// most 2000 dimensions; larger vectors are searched exactly.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pgvector/pgvector-go"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// hnswEFSearch is the candidate list size for HNSW searches; recall@10 and the
// latency it buys are in BENCHMARKS.md.
const hnswEFSearch = 200

// maxIndexedDims is pgvector's limit for an HNSW index on vector.
const maxIndexedDims = 2000

// Options configures Open.
type Options struct {
	// Schema to use (created if missing); "" uses the connection's search_path.
	Schema string
}

// Store is the PostgreSQL store.
type Store struct {
	*sqlstore.Store
	pool      *pgxpool.Pool
	closeOnce sync.Once
	indexed   sync.Map // dims -> true once its HNSW index exists
}

var _ store.Store = (*Store)(nil)

// Open connects, creates the schema if needed and runs Migrate.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	vectorSchema, err := ensureVector(ctx, cfg.ConnConfig)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if opts.Schema != "" {
		// The store's own schema first (its tables), then pgvector's (its type
		// and operators), then public.
		path := []string{opts.Schema}
		for _, s := range []string{vectorSchema, "public"} {
			if !slices.Contains(path, s) {
				path = append(path, s)
			}
		}
		searchPath := "SET search_path TO " + quoteIdentifiers(path)
		cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
			_, err := conn.Exec(ctx, searchPath)
			return err
		}
	} else {
		// The connection's own search path, plus pgvector's schema when the path
		// leaves it out: a URL's search_path=tenant picks the store's schema but
		// drops public, where pgvector usually is.
		cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
			_, err := conn.Exec(ctx, `SELECT set_config('search_path', current_setting('search_path') || ', ' || quote_ident($1), false) WHERE NOT $1 = ANY(current_schemas(false))`, vectorSchema)
			return err
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if opts.Schema != "" {
		// Instances starting together race on IF NOT EXISTS; losing the race is fine.
		if _, err := pool.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{opts.Schema}.Sanitize()); err != nil && !isDuplicate(err) {
			pool.Close()
			return nil, fmt.Errorf("open postgres: create schema: %w", err)
		}
	}
	s := &Store{pool: pool}
	s.Store = sqlstore.New(stdlib.OpenDBFromPool(pool), sqlstore.Dialect{
		Dollar:   true,
		Time:     func(t time.Time) any { return t },
		OrderCol: "ord",
		LockTurn: func(ctx context.Context, tx *sql.Tx, id string) error {
			_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '/' || $1, 0))`, id)
			return err
		},
		TryLockTurn: func(ctx context.Context, tx *sql.Tx, id string) (bool, error) {
			var ok bool
			err := tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock(hashtextextended(current_schema() || '/' || $1, 0))`, id).Scan(&ok)
			return ok, err
		},
		LockRows:     true,
		IsDuplicate:  isDuplicate,
		UpsertChunks: s.upsertChunks,
		SearchChunks: s.searchChunks,
	})
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return s, nil
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

func (s *Store) upsertChunks(ctx context.Context, tx *sql.Tx, chunks []store.Chunk) error {
	for _, c := range chunks {
		if err := s.ensureIndex(ctx, tx, len(c.Embedding)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO kb_chunks (id, source, title, content, hash, embedder, dims, embedding)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET source = excluded.source, title = excluded.title,
			content = excluded.content, hash = excluded.hash, embedder = excluded.embedder, dims = excluded.dims, embedding = excluded.embedding`,
			c.ID, c.Source, c.Title, c.Content, c.Hash, c.Embedder, len(c.Embedding), pgvector.NewVector(c.Embedding)); err != nil {
			return fmt.Errorf("chunk %s: %w", c.ID, err)
		}
	}
	return nil
}

// ensureIndex creates the HNSW index for dims once per process; the advisory lock
// keeps concurrent creators (other processes) from colliding.
func (s *Store) ensureIndex(ctx context.Context, tx *sql.Tx, dims int) error {
	if dims > maxIndexedDims {
		return nil
	}
	if _, ok := s.indexed.Load(dims); ok {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('parley.kb_index'))`); err != nil {
		return fmt.Errorf("kb index lock: %w", err)
	}
	d := strconv.Itoa(dims) // an int: safe to inline, and DDL takes no parameters
	if _, err := tx.ExecContext(ctx, `CREATE INDEX IF NOT EXISTS kb_chunks_hnsw_`+d+` ON kb_chunks
		USING hnsw ((embedding::vector(`+d+`)) vector_cosine_ops) WHERE dims = `+d); err != nil {
		return fmt.Errorf("kb index for %d dimensions: %w", dims, err)
	}
	// Remembered only once committed would be exact; a rolled-back creation just
	// means the next upsert after a restart recreates it, and IF NOT EXISTS is cheap.
	s.indexed.Store(dims, true)
	return nil
}

func (s *Store) searchChunks(ctx context.Context, db *sql.DB, vec []float32, k int) ([]store.ScoredChunk, error) {
	d := strconv.Itoa(len(vec))
	dist := `embedding::vector(` + d + `) <=> $1::vector(` + d + `)`
	// HNSW looks at ef_search candidates; pgvector's default (40) loses recall on
	// large collections, so widen it for the query, inside its own transaction.
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL hnsw.ef_search = `+strconv.Itoa(max(hnswEFSearch, 2*k))); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, source, title, content, hash, embedder, embedding, 1 - (`+dist+`)
		FROM kb_chunks WHERE dims = `+d+` ORDER BY `+dist+` LIMIT $2`, pgvector.NewVector(vec), k)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.ScoredChunk
	for rows.Next() {
		var c store.ScoredChunk
		var emb pgvector.Vector
		var score sql.NullFloat64 // NULL/NaN when a vector is all zeros
		if err := rows.Scan(&c.ID, &c.Source, &c.Title, &c.Content, &c.Hash, &c.Embedder, &emb, &score); err != nil {
			return nil, err
		}
		c.Embedding = emb.Slice()
		if score.Valid && score.Float64 == score.Float64 {
			c.Score = score.Float64
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Close rolls back open turns (their locks go with them) and closes the pool.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.MarkClosed()
		_ = s.DB.Close()
		s.pool.Close()
	})
	return nil
}

// Pool exposes the connection pool, for health checks and tools.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// isDuplicate reports a unique violation or an object that already exists, which
// concurrent CREATE ... IF NOT EXISTS statements can raise.
func isDuplicate(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "23505" || pgErr.Code == "42P06")
}
