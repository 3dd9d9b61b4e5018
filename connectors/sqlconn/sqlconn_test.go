package sqlconn_test

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jackc/pgx/v5"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/connectors/connectortest"
	"github.com/parleyhq/parley/connectors/sqlconn"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
)

// dsnEnv is the variable the tests' connector blocks read their DSN from.
const dsnEnv = "PARLEY_SQLCONN_TEST_DSN"

const schemaSQL = `
CREATE TABLE customers (
  id    text PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name  text NOT NULL,
  tier  text NOT NULL CHECK (tier IN ('gold', 'silver', 'bronze'))
);
CREATE TABLE orders (
  id          text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id),
  total       numeric(10, 2) NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE TABLE notes (
  id              bigserial PRIMARY KEY,
  customer_id     text NOT NULL REFERENCES customers (id),
  body            text NOT NULL,
  idempotency_key text UNIQUE
);
CREATE TABLE kinds (
  id    int PRIMARY KEY,
  n     numeric,
  f     float8,
  i8    bigint,
  tstz  timestamptz,
  ts    timestamp,
  d     date,
  u     uuid,
  j     jsonb,
  b     bytea,
  ints  int[],
  dates date[],
  iv    interval,
  empty text
);
INSERT INTO customers VALUES
  ('c1', 'ann@example.com', 'Ann', 'gold'),
  ('c2', 'bo@example.com', 'Bo', 'silver');
INSERT INTO orders VALUES
  ('o1', 'c1', 320.00, '2026-11-20T10:00:00Z'),
  ('o2', 'c1', 1280.50, '2026-11-21T10:00:00Z'),
  ('o3', 'c1', 99.99, '2026-11-22T10:00:00Z'),
  ('o4', 'c2', 15.00, '2026-11-23T10:00:00Z');
INSERT INTO kinds VALUES (
  1, 12.34, 1.5, 9007199254740992,
  '2026-11-25T10:30:00+08:00', '2026-11-25 10:30:00.5', '2026-11-25',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, "x", true, null], "b": {"c": 2.5}}',
  '\x0102ff', '{1,2,3}', '{2026-01-01,2026-12-31}', '1 day 02:00:00', NULL
);
INSERT INTO kinds (id, n, i8) VALUES (2, 'NaN', 9007199254740993);
`

// setupDB makes a fresh schema with the tables above and points dsnEnv at it.
// It returns a connection for checking what the connector did.
func setupDB(t *testing.T) *pgx.Conn {
	t.Helper()
	base := pgtest.URL(t)
	schema := pgtest.Schema(t, base)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { admin.Close(context.Background()) })
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	dsn := u.String()

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to schema: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if _, err := conn.Exec(ctx, schemaSQL); err != nil {
		t.Fatalf("create tables: %v", err)
	}
	t.Setenv(dsnEnv, dsn)
	return conn
}

// crmOperations are the operations most tests use.
const crmOperations = `
  operation "customer_by_email" {
    input  = { email = string }
    output = { id = string, name = string, tier = string }
    query  = "SELECT id, name, tier FROM customers WHERE email = @email"
  }
  operation "recent_orders" {
    input  = { customer_id = string, limit = optional(number) }
    output = { rows = list(object({ id = string, total = number })) }
    query  = "SELECT id, total FROM orders WHERE customer_id = @customer_id ORDER BY created_at DESC LIMIT coalesce(@limit, 2)"
    many   = true
  }
  operation "count_by_tier" {
    input = { tier = optional(string) }
    query = <<-SQL
      SELECT count(*) AS n FROM customers
      WHERE @tier::text IS NULL OR tier = @tier -- an absent tier counts everyone: @not_a_param
    SQL
  }
  operation "add_note" {
    input  = { customer_id = string, note = string }
    output = { id = number }
    write  = true
    query  = "INSERT INTO notes (customer_id, body, idempotency_key) VALUES (@customer_id, @note, @idempotency_key) ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key RETURNING id"
  }
  operation "log_note" {
    input = { customer_id = string, note = string }
    write = true
    query = "INSERT INTO notes (customer_id, body) VALUES (@customer_id, @note) RETURNING customer_id, body"
  }
  operation "touch_orders" {
    input = { customer_id = string }
    write = true
    many  = true
    query = "UPDATE orders SET total = total WHERE customer_id = @customer_id RETURNING id, total"
  }
  operation "set_tier" {
    input = { id = string, tier = string }
    write = true
    query = "UPDATE customers SET tier = @tier WHERE id = @id"
  }
  operation "add_customer" {
    input = { id = string, email = optional(string), name = string, tier = string }
    write = true
    query = "INSERT INTO customers (id, email, name, tier) VALUES (@id, @email, @name, @tier)"
  }
  operation "add_order" {
    input = { id = string, customer_id = string }
    write = true
    query = "INSERT INTO orders VALUES (@id, @customer_id, 1, now())"
  }
  operation "sneaky_insert" {
    input = { customer_id = string }
    query = "INSERT INTO notes (customer_id, body) VALUES (@customer_id, 'from a read') RETURNING id"
  }
  operation "kinds" {
    input = { id = number }
    query = "SELECT n, f, tstz, ts, d, u, j, b, ints, dates, iv, empty, i8 FROM kinds WHERE id = @id"
  }
  operation "bind" {
    input = { i = number, f = number, n = number, t = number, ids = list(number), j = any, jl = any, flag = bool, s = string }
    query = "SELECT @i::int4 AS i, @f::float8 AS f, @n::numeric AS n, @t::text AS t, @ids::int8[] AS ids, @j::jsonb AS j, @jl::jsonb AS jl, @flag::bool AS flag, @s::text AS s"
  }
  operation "big_int" {
    query = "SELECT i8 FROM kinds WHERE id = 2"
  }
  operation "nan" {
    query = "SELECT n FROM kinds WHERE id = 2"
  }
  operation "order_by_uuid" {
    input = { u = string }
    query = "SELECT id FROM kinds WHERE u = @u"
  }
  operation "date_from_text" {
    input = { d = string }
    query = "SELECT @d::text::date AS d"
  }
  operation "duplicate_columns" {
    query = "SELECT c.id, o.id FROM customers c JOIN orders o ON o.customer_id = c.id LIMIT 1"
  }
  operation "all_orders" {
    query    = "SELECT id FROM orders ORDER BY id"
    many     = true
    max_rows = 3
  }
  operation "first_order" {
    query = "SELECT id FROM orders ORDER BY id"
  }
  operation "sleep" {
    input = { seconds = number }
    query = "SELECT 1 AS slept FROM pg_sleep(@seconds)"
  }
  operation "wait_for_lock" {
    query = "SELECT pg_advisory_xact_lock(4242) IS NULL AS locked"
  }
`

func crmConfig(t *testing.T, settings string) connectors.Config {
	t.Helper()
	return connectortest.ConfigFromHCL(t, sqlconn.Driver{}, `
connector "crm" {
  type    = "sql"
  dsn_env = "`+dsnEnv+`"
`+settings+crmOperations+`}`)
}

func open(t *testing.T, cfg connectors.Config) connectors.Connector {
	t.Helper()
	c, err := sqlconn.Driver{}.Open(cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = c.(connectors.Closer).Close() })
	return c
}

func TestConformance(t *testing.T) {
	setupDB(t)
	connectortest.Exercise(t, sqlconn.Driver{}, crmConfig(t, `max_conns = 8`), connectortest.Cases{
		{
			Operation: "customer_by_email",
			Input:     map[string]any{"email": "ann@example.com"},
			Want:      map[string]any{"id": "c1", "name": "Ann", "tier": "gold"},
		},
		{
			Operation: "recent_orders",
			Input:     map[string]any{"customer_id": "c1"},
			Want: map[string]any{"rows": []any{
				map[string]any{"id": "o3", "total": 99.99},
				map[string]any{"id": "o2", "total": 1280.5},
			}},
		},
		{
			Operation: "log_note",
			Input:     map[string]any{"customer_id": "c2", "note": "called back"},
			Want:      map[string]any{"affected": 1.0, "customer_id": "c2", "body": "called back"},
		},
		{Operation: "customer_by_email", Input: map[string]any{"email": "nobody@example.com"}, WantErr: connectors.ErrNotFound},
		{Operation: "add_customer", Input: map[string]any{"id": "c9", "email": "ann@example.com", "name": "Ann", "tier": "gold"}, WantErr: connectors.ErrRejected},
		{Operation: "customer_by_email", Input: map[string]any{}, WantErr: connectors.ErrInvalidInput},
	})
}

func TestCall(t *testing.T) {
	setupDB(t)
	c := open(t, crmConfig(t, ""))
	for _, tc := range []struct {
		name    string
		op      string
		input   map[string]any
		want    map[string]any
		wantErr error
	}{
		{
			name:  "named parameter",
			op:    "customer_by_email",
			input: map[string]any{"email": "bo@example.com"},
			want:  map[string]any{"id": "c2", "name": "Bo", "tier": "silver"},
		},
		{
			name:  "optional input absent is NULL",
			op:    "recent_orders",
			input: map[string]any{"customer_id": "c1"},
			want: map[string]any{"rows": []any{
				map[string]any{"id": "o3", "total": 99.99},
				map[string]any{"id": "o2", "total": 1280.5},
			}},
		},
		{
			name:  "optional input given",
			op:    "recent_orders",
			input: map[string]any{"customer_id": "c1", "limit": 1.0},
			want:  map[string]any{"rows": []any{map[string]any{"id": "o3", "total": 99.99}}},
		},
		{
			name:  "optional input given as null",
			op:    "count_by_tier",
			input: map[string]any{"tier": nil},
			want:  map[string]any{"n": 2.0},
		},
		{
			name:  "optional input filters",
			op:    "count_by_tier",
			input: map[string]any{"tier": "gold"},
			want:  map[string]any{"n": 1.0},
		},
		{
			name:  "many with no rows is an empty list",
			op:    "recent_orders",
			input: map[string]any{"customer_id": "nobody"},
			want:  map[string]any{"rows": []any{}},
		},
		{
			name:    "one row not found",
			op:      "customer_by_email",
			input:   map[string]any{"email": "nobody@example.com"},
			wantErr: connectors.ErrNotFound,
		},
		{
			name:  "one-row operation takes the first of several rows",
			op:    "first_order",
			input: nil,
			want:  map[string]any{"id": "o1"},
		},
		{
			name:    "many over max_rows",
			op:      "all_orders",
			wantErr: errAny,
		},
		{
			name:  "write without RETURNING gives the count",
			op:    "set_tier",
			input: map[string]any{"id": "c2", "tier": "bronze"},
			want:  map[string]any{"affected": 1.0},
		},
		{
			name:  "write with many RETURNING rows",
			op:    "touch_orders",
			input: map[string]any{"customer_id": "c2"},
			want:  map[string]any{"affected": 1.0, "rows": []any{map[string]any{"id": "o4", "total": 15.0}}},
		},
		{
			name:  "write matching nothing",
			op:    "set_tier",
			input: map[string]any{"id": "nobody", "tier": "bronze"},
			want:  map[string]any{"affected": 0.0},
		},
		{
			name:    "unique violation",
			op:      "add_customer",
			input:   map[string]any{"id": "c9", "email": "ann@example.com", "name": "Ann", "tier": "gold"},
			wantErr: connectors.ErrRejected,
		},
		{
			name:    "primary key violation",
			op:      "add_customer",
			input:   map[string]any{"id": "c1", "email": "new@example.com", "name": "Ann", "tier": "gold"},
			wantErr: connectors.ErrRejected,
		},
		{
			name:    "check violation",
			op:      "add_customer",
			input:   map[string]any{"id": "c9", "email": "new@example.com", "name": "Ann", "tier": "platinum"},
			wantErr: connectors.ErrRejected,
		},
		{
			name:    "not null violation",
			op:      "add_customer",
			input:   map[string]any{"id": "c9", "name": "Ann", "tier": "gold"},
			wantErr: connectors.ErrRejected,
		},
		{
			name:    "foreign key violation",
			op:      "add_order",
			input:   map[string]any{"id": "o9", "customer_id": "nobody"},
			wantErr: connectors.ErrRejected,
		},
		{
			name:    "value PostgreSQL cannot parse",
			op:      "date_from_text",
			input:   map[string]any{"d": "secret-not-a-date"},
			wantErr: connectors.ErrInvalidInput,
		},
		{
			name:    "value pgx cannot encode",
			op:      "order_by_uuid",
			input:   map[string]any{"u": "secret-not-a-uuid"},
			wantErr: connectors.ErrInvalidInput,
		},
		{
			name: "inputs bind to each parameter type",
			op:   "bind",
			input: map[string]any{
				"i": 7.0, "f": 0.1, "n": 12.25, "t": 42.0, "ids": []any{1.0, 2.0},
				"j":  map[string]any{"a": 1.5, "b": []any{1.0, "x"}},
				"jl": []any{1.0, "x", nil}, "flag": true, "s": "it's @s -- not SQL",
			},
			want: map[string]any{
				"i": 7.0, "f": 0.1, "n": 12.25, "t": "42", "ids": []any{1.0, 2.0},
				"j":  map[string]any{"a": 1.5, "b": []any{1.0, "x"}},
				"jl": []any{1.0, "x", nil}, "flag": true, "s": "it's @s -- not SQL",
			},
		},
		{
			name:    "fraction for an integer parameter",
			op:      "kinds",
			input:   map[string]any{"id": 1.5},
			wantErr: connectors.ErrInvalidInput,
		},
		{
			name:    "object for an integer parameter",
			op:      "kinds",
			input:   map[string]any{"id": map[string]any{"secret": "x"}},
			wantErr: connectors.ErrInvalidInput,
		},
		{
			name:    "missing input",
			op:      "customer_by_email",
			input:   map[string]any{},
			wantErr: connectors.ErrInvalidInput,
		},
		{
			name:    "undeclared input",
			op:      "customer_by_email",
			input:   map[string]any{"email": "ann@example.com", "phone": "123"},
			wantErr: connectors.ErrInvalidInput,
		},
		{
			name:    "unknown operation",
			op:      "nope",
			wantErr: connectors.ErrUnknownOp,
		},
		{
			name:    "duplicate column names",
			op:      "duplicate_columns",
			wantErr: errAny,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := c.Call(context.Background(), connectors.Request{Operation: tc.op, Input: tc.input})
			switch {
			case tc.wantErr == errAny:
				if err == nil {
					t.Fatalf("Call(%s) = %v, want an error", tc.op, resp.Data)
				}
				return
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Call(%s) error = %v, want one wrapping %v", tc.op, err, tc.wantErr)
				}
				t.Logf("error: %v", err)
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("error %q quotes an input value", err)
				}
				return
			case err != nil:
				t.Fatalf("Call(%s): %v", tc.op, err)
			}
			if diff := cmp.Diff(tc.want, resp.Data, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Call(%s) mismatch (-want +got):\n%s", tc.op, diff)
			}
		})
	}
}

// errAny stands for "some error": cases whose error has no code of its own.
var errAny = errors.New("any error")

func TestValueConversions(t *testing.T) {
	setupDB(t)
	c := open(t, crmConfig(t, ""))
	resp, err := c.Call(context.Background(), connectors.Request{Operation: "kinds", Input: map[string]any{"id": 1.0}})
	if err != nil {
		t.Fatalf("Call: %v", err)
	}
	want := map[string]any{
		"n":     12.34,
		"f":     1.5,
		"i8":    9007199254740992.0,
		"tstz":  "2026-11-25T02:30:00Z",
		"ts":    "2026-11-25T10:30:00.5",
		"d":     "2026-11-25",
		"u":     "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
		"j":     map[string]any{"a": []any{1.0, "x", true, nil}, "b": map[string]any{"c": 2.5}},
		"b":     "AQL/",
		"ints":  []any{1.0, 2.0, 3.0},
		"dates": []any{"2026-01-01", "2026-12-31"},
		"iv":    "1 day 02:00:00",
		"empty": nil,
	}
	if diff := cmp.Diff(want, resp.Data); diff != "" {
		t.Errorf("values mismatch (-want +got):\n%s", diff)
	}

	for _, op := range []string{"big_int", "nan"} {
		if _, err := c.Call(context.Background(), connectors.Request{Operation: op}); err == nil {
			t.Errorf("Call(%s) succeeded; want an error for a value JSON cannot hold", op)
		} else if code := connectors.ErrorCode(err); code != connectors.CodeError {
			t.Errorf("Call(%s) error code = %s, want error (%v)", op, code, err)
		}
	}
}

func TestReadOperationCannotWrite(t *testing.T) {
	db := setupDB(t)
	c := open(t, crmConfig(t, ""))
	_, err := c.Call(context.Background(), connectors.Request{Operation: "sneaky_insert", Input: map[string]any{"customer_id": "c1"}})
	if err == nil {
		t.Fatal("a read operation's INSERT succeeded")
	}
	if !strings.Contains(err.Error(), "write = true") {
		t.Errorf("error %q does not say to declare write = true", err)
	}
	if code := connectors.ErrorCode(err); code != connectors.CodeError {
		t.Errorf("ErrorCode = %s, want error: retrying cannot help", code)
	}
	var n int
	if err := db.QueryRow(context.Background(), "SELECT count(*) FROM notes").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("notes has %d rows after a refused write, want 0", n)
	}
}

func TestIdempotencyKey(t *testing.T) {
	db := setupDB(t)
	c := open(t, crmConfig(t, ""))
	ctx := context.Background()
	add := func(key string) float64 {
		t.Helper()
		resp, err := c.Call(ctx, connectors.Request{
			Operation:      "add_note",
			Input:          map[string]any{"customer_id": "c1", "note": "wants a refund"},
			IdempotencyKey: key,
		})
		if err != nil {
			t.Fatalf("add_note with key %q: %v", key, err)
		}
		if resp.Data["affected"] != 1.0 {
			t.Errorf("affected = %v, want 1", resp.Data["affected"])
		}
		return resp.Data["id"].(float64)
	}
	count := func() int {
		t.Helper()
		var n int
		if err := db.QueryRow(ctx, "SELECT count(*) FROM notes").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	first := add("turn-7-call-1")
	if again := add("turn-7-call-1"); again != first {
		t.Errorf("second call with the same key gave id %v, want %v (the first call's)", again, first)
	}
	if n := count(); n != 1 {
		t.Errorf("%d notes after two calls with one key, want 1", n)
	}
	if other := add("turn-8-call-1"); other == first {
		t.Errorf("a different key gave the same id %v", other)
	}
	// Without a key, @idempotency_key is NULL, which never conflicts.
	add("")
	add("")
	if n := count(); n != 4 {
		t.Errorf("%d notes, want 4", n)
	}
}

func TestIdempotent(t *testing.T) {
	setupDB(t)
	cfg := connectortest.ConfigFromHCL(t, sqlconn.Driver{}, `
connector "crm" {
  type    = "sql"
  dsn_env = "`+dsnEnv+`"
  operation "read" {
    query = "SELECT 1 AS one"
  }
  operation "keyed_write" {
    write = true
    query = "INSERT INTO notes (customer_id, body, idempotency_key) VALUES ('c1', 'x', @idempotency_key) ON CONFLICT DO NOTHING"
  }
  operation "plain_write" {
    write = true
    query = "INSERT INTO notes (customer_id, body) VALUES ('c1', 'x')"
  }
  operation "declared_idempotent_write" {
    write      = true
    idempotent = true
    query      = "UPDATE customers SET tier = 'gold' WHERE id = 'c1'"
  }
  operation "declared_unsafe_read" {
    idempotent = false
    query      = "SELECT nextval('notes_id_seq') AS id"
  }
}`)
	c := open(t, cfg)
	r, ok := c.(connectors.IdempotenceReporter)
	if !ok {
		t.Fatal("connector does not implement connectors.IdempotenceReporter")
	}
	got := map[string]bool{}
	for _, op := range []string{"read", "keyed_write", "plain_write", "declared_idempotent_write", "declared_unsafe_read", "no_such_operation"} {
		got[op] = r.Idempotent(op)
	}
	want := map[string]bool{
		"read":                      true,
		"keyed_write":               true,
		"plain_write":               false,
		"declared_idempotent_write": true,
		"declared_unsafe_read":      false,
		"no_such_operation":         false,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Idempotent mismatch (-want +got):\n%s", diff)
	}
}

func TestStatementTimeout(t *testing.T) {
	setupDB(t)
	c := open(t, crmConfig(t, `statement_timeout = "50ms"`))
	_, err := c.Call(context.Background(), connectors.Request{Operation: "sleep", Input: map[string]any{"seconds": 5.0}})
	if !errors.Is(err, connectors.ErrTimeout) {
		t.Fatalf("error = %v, want one wrapping connectors.ErrTimeout", err)
	}
	if code := connectors.ErrorCode(err); code != connectors.CodeTimeout {
		t.Errorf("ErrorCode = %s, want timeout", code)
	}
	// The connection survives a statement timeout: the next call works.
	if _, err := c.Call(context.Background(), connectors.Request{Operation: "sleep", Input: map[string]any{"seconds": 0.0}}); err != nil {
		t.Errorf("call after a statement timeout: %v", err)
	}
}

func TestContextDeadline(t *testing.T) {
	setupDB(t)
	c := open(t, crmConfig(t, ""))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Call(ctx, connectors.Request{Operation: "sleep", Input: map[string]any{"seconds": 5.0}})
	if code := connectors.ErrorCode(err); code != connectors.CodeTimeout {
		t.Errorf("ErrorCode = %s, want timeout (%v)", code, err)
	}
}

// TestContextCancel cancels a call while it waits for a lock the test holds,
// found through pg_stat_activity, so no sleep decides when to cancel.
func TestContextCancel(t *testing.T) {
	db := setupDB(t)
	c := open(t, crmConfig(t, ""))
	bg := context.Background()

	holder, err := db.Begin(bg)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = holder.Rollback(bg) }()
	if _, err := holder.Exec(bg, "SELECT pg_advisory_xact_lock(4242)"); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.Call(ctx, connectors.Request{Operation: "wait_for_lock"})
		done <- err
	}()

	// A separate session: pg_stat_activity is a snapshot per transaction.
	watcher, err := pgx.Connect(bg, os.Getenv(dsnEnv))
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close(bg)
	waitCtx, waitCancel := context.WithTimeout(bg, 30*time.Second)
	defer waitCancel()
	for {
		var waiting bool
		err := watcher.QueryRow(waitCtx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE application_name = 'parley crm' AND wait_event_type = 'Lock')`).Scan(&waiting)
		if err != nil {
			t.Fatalf("waiting for the call to block: %v", err)
		}
		if waiting {
			break
		}
	}
	cancel()
	err = <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want one wrapping context.Canceled", err)
	}
	if err := holder.Rollback(bg); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(bg, connectors.Request{Operation: "wait_for_lock"}); err != nil {
		t.Errorf("call after a cancelled one: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	const okOp = `operation "ok" {
    query = "SELECT 1 AS one"
  }`
	for _, tc := range []struct {
		name     string
		env      *string // nil: unset
		settings string
		ops      string
		wantIn   []string
	}{
		{name: "env var unset", settings: `dsn_env = "PARLEY_SQLCONN_UNSET"`, ops: okOp, wantIn: []string{"PARLEY_SQLCONN_UNSET", "not set"}},
		{name: "env var empty", env: ptr(""), settings: `dsn_env = "` + dsnEnv + `"`, ops: okOp, wantIn: []string{dsnEnv, "not set or empty"}},
		{name: "dsn written in dsn_env", settings: `dsn_env = "postgres://u:hunter2@db/crm"`, ops: okOp, wantIn: []string{"name an environment variable"}},
		{name: "bad dsn", env: ptr("postgres://u:hunter2@db:notaport/crm"), settings: `dsn_env = "` + dsnEnv + `"`, ops: okOp, wantIn: []string{dsnEnv, "valid PostgreSQL connection string"}},
		{name: "max_conns zero", env: ptr("postgres://db/crm"), settings: `dsn_env = "` + dsnEnv + `"` + "\nmax_conns = 0", ops: okOp, wantIn: []string{"max_conns"}},
		{name: "max_conns fraction", env: ptr("postgres://db/crm"), settings: `dsn_env = "` + dsnEnv + `"` + "\nmax_conns = 1.5", ops: okOp, wantIn: []string{"max_conns", "whole number"}},
		{name: "statement_timeout not a duration", env: ptr("postgres://db/crm"), settings: `dsn_env = "` + dsnEnv + `"` + "\nstatement_timeout = \"soon\"", ops: okOp, wantIn: []string{"statement_timeout", "soon"}},
		{name: "statement_timeout under a millisecond", env: ptr("postgres://db/crm"), settings: `dsn_env = "` + dsnEnv + `"` + "\nstatement_timeout = \"10us\"", ops: okOp, wantIn: []string{"statement_timeout", "1ms"}},
		{
			name: "unknown parameter", env: ptr("postgres://db/crm"), settings: `dsn_env = "` + dsnEnv + `"`,
			ops: `operation "find" {
    input = { email = string }
    query = "SELECT id FROM customers WHERE email = @emial"
  }`,
			wantIn: []string{`operation "find"`, "@emial", "inputs: email"},
		},
		{
			name: "positional parameter", env: ptr("postgres://db/crm"), settings: `dsn_env = "` + dsnEnv + `"`,
			ops: `operation "find" {
    input = { email = string }
    query = "SELECT id FROM customers WHERE email = $1"
  }`,
			wantIn: []string{`operation "find"`, "@name"},
		},
		{
			name: "two statements", env: ptr("postgres://db/crm"), settings: `dsn_env = "` + dsnEnv + `"`,
			ops: `operation "find" {
    input = { id = string }
    query = "SELECT 1; DELETE FROM customers WHERE id = @id"
  }`,
			wantIn: []string{`operation "find"`, "one statement"},
		},
		{
			name: "unterminated string", env: ptr("postgres://db/crm"), settings: `dsn_env = "` + dsnEnv + `"`,
			ops: `operation "find" {
    query = "SELECT 'oops"
  }`,
			wantIn: []string{`operation "find"`, "not closed"},
		},
		{
			name: "input named like the idempotency key", env: ptr("postgres://db/crm"), settings: `dsn_env = "` + dsnEnv + `"`,
			ops: `operation "find" {
    input = { idempotency_key = string }
    query = "SELECT 1 AS one"
  }`,
			wantIn: []string{`operation "find"`, "reserved"},
		},
		{
			name: "max_rows zero", env: ptr("postgres://db/crm"), settings: `dsn_env = "` + dsnEnv + `"`,
			ops: `operation "find" {
    query    = "SELECT 1 AS one"
    many     = true
    max_rows = 0
  }`,
			wantIn: []string{`operation "find"`, "max_rows"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != nil {
				t.Setenv(dsnEnv, *tc.env)
			}
			cfg := connectortest.ConfigFromHCL(t, sqlconn.Driver{}, "connector \"crm\" {\n  type = \"sql\"\n  "+tc.settings+"\n  "+tc.ops+"\n}")
			c, err := sqlconn.Driver{}.Open(cfg)
			if err == nil {
				_ = c.(connectors.Closer).Close()
				t.Fatal("Open succeeded, want an error")
			}
			for _, s := range tc.wantIn {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestHCLMistakes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		src    string
		wantIn string
	}{
		{
			name:   "missing query",
			src:    "connector \"crm\" {\n  type = \"sql\"\n  dsn_env = \"X\"\n  operation \"find\" {\n    many = true\n  }\n}",
			wantIn: `"query" is required`,
		},
		{
			name:   "missing dsn_env",
			src:    "connector \"crm\" {\n  type = \"sql\"\n}",
			wantIn: `"dsn_env" is required`,
		},
		{
			name:   "misspelt setting",
			src:    "connector \"crm\" {\n  type = \"sql\"\n  dsn_env = \"X\"\n  operation \"find\" {\n    qeury = \"SELECT 1\"\n    query = \"SELECT 1\"\n  }\n}",
			wantIn: "qeury",
		},
		{
			name:   "wrong type",
			src:    "connector \"crm\" {\n  type = \"sql\"\n  dsn_env = \"X\"\n  max_conns = \"four\"\n}",
			wantIn: "max_conns",
		},
		{
			name:   "write is not a bool",
			src:    "connector \"crm\" {\n  type = \"sql\"\n  dsn_env = \"X\"\n  operation \"find\" {\n    query = \"SELECT 1\"\n    write = \"yes\"\n  }\n}",
			wantIn: "write",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := connectortest.DecodeHCL(sqlconn.Driver{}, tc.src)
			if !diags.HasErrors() {
				t.Fatal("no error diagnostics")
			}
			got := diags.Error()
			if !strings.Contains(got, tc.wantIn) {
				t.Errorf("diagnostics %q do not mention %q", got, tc.wantIn)
			}
			if !strings.Contains(got, "connector.hcl:") {
				t.Errorf("diagnostics %q have no file:line", got)
			}
		})
	}
}

func TestHealthAndClose(t *testing.T) {
	setupDB(t)
	c := open(t, crmConfig(t, ""))
	hc := c.(connectors.HealthChecker)
	if err := hc.Health(context.Background()); err != nil {
		t.Errorf("Health: %v", err)
	}
	cl := c.(connectors.Closer)
	if err := cl.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := cl.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := hc.Health(context.Background()); !errors.Is(err, connectors.ErrUnavailable) {
		t.Errorf("Health after Close = %v, want unavailable", err)
	}
	_, err := c.Call(context.Background(), connectors.Request{Operation: "customer_by_email", Input: map[string]any{"email": "ann@example.com"}})
	if !errors.Is(err, connectors.ErrUnavailable) {
		t.Errorf("Call after Close = %v, want unavailable", err)
	}
}

// TestUnreachableServer opens against a port nothing listens on: Open must
// succeed (it does no network I/O) and Health and Call must say unavailable.
func TestUnreachableServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // now nothing listens there: connections are refused
	t.Setenv(dsnEnv, "postgres://parley:hunter2@"+addr+"/crm?sslmode=disable&connect_timeout=5")
	c := open(t, crmConfig(t, ""))
	err = c.(connectors.HealthChecker).Health(context.Background())
	if !errors.Is(err, connectors.ErrUnavailable) {
		t.Errorf("Health = %v, want unavailable", err)
	}
	_, err = c.Call(context.Background(), connectors.Request{Operation: "customer_by_email", Input: map[string]any{"email": "ann@example.com"}})
	if !errors.Is(err, connectors.ErrUnavailable) {
		t.Errorf("Call = %v, want unavailable", err)
	}
	if err != nil && strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %q shows the password", err)
	}
}
