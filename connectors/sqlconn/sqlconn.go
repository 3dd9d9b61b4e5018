// Package sqlconn is the "sql" connector type: named, parameterized queries
// against a PostgreSQL database the company already has, through pgx.
//
//	connector "crm" {
//	  type              = "sql"
//	  dsn_env           = "CRM_DATABASE_URL" # the connection string, from the environment only
//	  max_conns         = 4                  # optional, default 4
//	  statement_timeout = "2s"               # optional
//
//	  operation "customer_by_email" {
//	    input  = { email = string }
//	    output = { id = string, name = string, tier = string }
//	    query  = "SELECT id, name, tier FROM customers WHERE email = @email"
//	  }
//	  operation "add_note" {
//	    input = { customer_id = string, note = string }
//	    write = true
//	    query = "INSERT INTO notes (customer_id, body, idempotency_key) VALUES (@customer_id, @note, @idempotency_key) ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key RETURNING id"
//	  }
//	}
//
// Inputs reach PostgreSQL only as bind parameters (@name, sent as $n), never as
// SQL text. A query may use its declared inputs and @idempotency_key, which gets
// the call's idempotency key (NULL when there is none); anything else is an error
// when the bot loads. Reads run in a READ ONLY transaction, so a query that
// writes by mistake fails instead of writing; operations with write = true run in
// a read-write transaction that commits.
//
// A one-row operation returns the first row's columns (later rows are ignored:
// add a LIMIT 1 or ORDER BY when several can match) and not_found when there is
// none. many = true returns { rows = [...] }, possibly empty. A write returns
// { affected = n } plus the first RETURNING row's columns (a column named
// affected wins over the count); with many = true, its RETURNING rows as rows.
//
// Column values become plain JSON values: numbers (integers, numeric, float) are
// float64, integers beyond 2^53 are an error (cast them to text); timestamptz
// is RFC 3339 in UTC; timestamp (no zone) is RFC 3339 without an offset; date is
// YYYY-MM-DD; uuid is its text form; json and jsonb are decoded; bytea is base64;
// arrays are lists; NULL is null; anything else (interval, inet, enums...) is
// PostgreSQL's text form.
package sqlconn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/gocty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/connectors/internal/driverkit"
)

func init() { connectors.Register("sql", Driver{}) }

// Defaults and bounds of the settings.
const (
	defaultMaxConns = 4
	maxMaxConns     = 1000
	defaultMaxRows  = 1000
	maxMaxRows      = 1_000_000
)

// setStatementTimeout limits the statements after it in the same transaction,
// like SET LOCAL statement_timeout, but takes the value as a parameter.
const setStatementTimeout = "SELECT set_config('statement_timeout', $1, true)"

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Driver is the sql connector type.
type Driver struct{}

// Spec declares dsn_env, max_conns and statement_timeout on the connector, and
// query, write, many and max_rows on each operation.
func (Driver) Spec() connectors.Spec {
	return connectors.Spec{
		Connector: hcldec.ObjectSpec{
			"dsn_env":           &hcldec.AttrSpec{Name: "dsn_env", Type: cty.String, Required: true},
			"max_conns":         &hcldec.AttrSpec{Name: "max_conns", Type: cty.Number},
			"statement_timeout": &hcldec.AttrSpec{Name: "statement_timeout", Type: cty.String},
		},
		Operation: hcldec.ObjectSpec{
			"query":    &hcldec.AttrSpec{Name: "query", Type: cty.String, Required: true},
			"write":    &hcldec.AttrSpec{Name: "write", Type: cty.Bool},
			"many":     &hcldec.AttrSpec{Name: "many", Type: cty.Bool},
			"max_rows": &hcldec.AttrSpec{Name: "max_rows", Type: cty.Number},
		},
	}
}

// Open checks every setting and query and prepares a connection pool. The pool
// connects on first use, so Open does no network I/O; Health checks the server.
func (Driver) Open(cfg connectors.Config) (connectors.Connector, error) {
	envName, err := optionalString(cfg.Settings, "dsn_env")
	if err != nil {
		return nil, err
	}
	if envName == "" {
		return nil, errors.New("dsn_env is required: the name of the environment variable that holds the connection string")
	}
	if !envNameRE.MatchString(envName) {
		// Not echoed: it is likely a connection string, password included.
		return nil, errors.New("dsn_env must name an environment variable (letters, digits, underscores), not hold the connection string itself")
	}
	dsn := os.Getenv(envName)
	if strings.TrimSpace(dsn) == "" {
		return nil, fmt.Errorf("dsn_env: environment variable %s is not set or empty; it must hold the PostgreSQL connection string", envName)
	}

	maxConns, err := optionalInt(cfg.Settings, "max_conns", defaultMaxConns, 1, maxMaxConns)
	if err != nil {
		return nil, err
	}
	var stmtTimeout time.Duration
	if s, err := optionalString(cfg.Settings, "statement_timeout"); err != nil {
		return nil, err
	} else if s != "" {
		stmtTimeout, err = time.ParseDuration(s)
		if err != nil {
			return nil, fmt.Errorf("statement_timeout %q is not a duration such as \"2s\" or \"500ms\"", s)
		}
		if stmtTimeout < time.Millisecond {
			return nil, fmt.Errorf("statement_timeout %q must be at least 1ms", s)
		}
	}

	c := &connector{name: cfg.Name, stmtTimeout: stmtTimeout, ops: make(map[string]*operation, len(cfg.Operations))}
	for name, oc := range cfg.Operations {
		op, err := compileOperation(name, oc)
		if err != nil {
			return nil, fmt.Errorf("operation %q: %w", name, err)
		}
		c.ops[name] = op
	}

	poolCfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgconn's parse errors redact the password.
		return nil, fmt.Errorf("dsn_env: environment variable %s does not hold a valid PostgreSQL connection string: %w", envName, err)
	}
	c.endpoint = fmt.Sprintf("postgres://%s:%d/%s", poolCfg.ConnConfig.Host, poolCfg.ConnConfig.Port, poolCfg.ConnConfig.Database)
	poolCfg.MaxConns = int32(maxConns)
	poolCfg.MinConns, poolCfg.MinIdleConns = 0, 0 // nothing connects before the first call
	if _, set := poolCfg.ConnConfig.RuntimeParams["application_name"]; !set {
		poolCfg.ConnConfig.RuntimeParams["application_name"] = "parley " + cfg.Name
	}
	c.pool, err = pgxpool.NewWithConfig(context.Background(), poolCfg)
	if err != nil {
		return nil, fmt.Errorf("connection pool: %w", err)
	}
	return c, nil
}

// connector is immutable after Open apart from the pool, which is safe for
// concurrent use.
type connector struct {
	name        string
	endpoint    string // host:port/database, for messages
	pool        *pgxpool.Pool
	ops         map[string]*operation
	stmtTimeout time.Duration

	closed    atomic.Bool
	closeOnce sync.Once
}

// Endpoint is the database's address and name, without user or password.
func (c *connector) Endpoint() string { return c.endpoint }

type operation struct {
	name       string
	sql        string   // the query with @names rewritten to $1..$n
	params     []string // the name each $n takes
	inputs     []connectors.Param
	declared   map[string]bool
	write      bool
	many       bool
	maxRows    int
	idempotent bool
}

func compileOperation(name string, oc connectors.OperationConfig) (*operation, error) {
	op := &operation{name: name, inputs: oc.Inputs, declared: make(map[string]bool, len(oc.Inputs))}
	for _, in := range oc.Inputs {
		switch {
		case in.Name == "":
			return nil, errors.New("input names must not be empty")
		case in.Name == idempotencyKeyParam:
			return nil, fmt.Errorf("input %q is reserved: @%s is the call's idempotency key", in.Name, idempotencyKeyParam)
		case op.declared[in.Name]:
			return nil, fmt.Errorf("input %q is declared twice", in.Name)
		}
		op.declared[in.Name] = true
	}

	query, err := optionalString(oc.Settings, "query")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(query) == "" {
		return nil, errors.New("query is required: the SQL statement to run, with inputs as @name")
	}
	if op.write, err = optionalBool(oc.Settings, "write"); err != nil {
		return nil, err
	}
	if op.many, err = optionalBool(oc.Settings, "many"); err != nil {
		return nil, err
	}
	if op.maxRows, err = optionalInt(oc.Settings, "max_rows", defaultMaxRows, 1, maxMaxRows); err != nil {
		return nil, err
	}

	shape, err := scanQuery(query)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	if shape.positional {
		return nil, errors.New("query: use @name for inputs, not $1-style parameters")
	}
	if shape.statements > 1 {
		return nil, errors.New("query: one statement per operation (found a ; followed by more SQL)")
	}
	usesKey := false
	for _, n := range shape.names {
		if n == idempotencyKeyParam {
			usesKey = true
			continue
		}
		if !op.declared[n] {
			return nil, fmt.Errorf("query uses @%s, which is not a declared input (inputs: %s; @%s is the idempotency key)",
				n, driverkit.ListOrNone(oc.InputNames()), idempotencyKeyParam)
		}
	}
	if op.sql, op.params, err = positionalQuery(query, shape.names); err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}

	// A read can always run again; a write only when the query itself makes a
	// second run with the same key a no-op, which is what @idempotency_key is for.
	op.idempotent = !op.write || usesKey
	if oc.Idempotent != nil {
		op.idempotent = *oc.Idempotent
	}
	return op, nil
}

// Idempotent reports whether an operation is safe to call again with the same
// request: reads are, writes only when their query uses @idempotency_key. The
// bot's idempotent = ... overrides both.
func (c *connector) Idempotent(operation string) bool {
	op, ok := c.ops[operation]
	return ok && op.idempotent
}

// Call runs one operation in its own transaction.
func (c *connector) Call(ctx context.Context, req connectors.Request) (connectors.Response, error) {
	if err := ctx.Err(); err != nil {
		return connectors.Response{}, ctxError(fmt.Sprintf("sql %s.%s", c.name, req.Operation), err)
	}
	op, ok := c.ops[req.Operation]
	if !ok {
		return connectors.Response{}, fmt.Errorf("sql %s: %q: %w", c.name, req.Operation, connectors.ErrUnknownOp)
	}
	if c.closed.Load() {
		return connectors.Response{}, fmt.Errorf("sql %s.%s: connector is closed: %w", c.name, op.name, connectors.ErrUnavailable)
	}
	args, err := op.args(req)
	if err != nil {
		return connectors.Response{}, fmt.Errorf("sql %s.%s: %w", c.name, op.name, err)
	}
	data, err := c.run(ctx, op, args)
	if err != nil {
		return connectors.Response{}, err
	}
	return connectors.Response{Data: data}, nil
}

// args checks the inputs against the declaration and lays them out as $1..$n.
// Absent optional inputs are NULL, as is a missing idempotency key: an empty
// string would make every keyless call the same call.
func (op *operation) args(req connectors.Request) ([]any, error) {
	missing, extra := driverkit.CheckInputs(op.inputs, req.Input)
	switch {
	case len(missing) > 0:
		return nil, fmt.Errorf("missing input %s: %w", strings.Join(missing, ", "), connectors.ErrInvalidInput)
	case len(extra) > 0:
		return nil, fmt.Errorf("undeclared input %s: %w", strings.Join(extra, ", "), connectors.ErrInvalidInput)
	}
	args := make([]any, len(op.params))
	for i, name := range op.params {
		if name == idempotencyKeyParam {
			if req.IdempotencyKey != "" {
				args[i] = req.IdempotencyKey
			}
			continue
		}
		args[i] = bindValue(req.Input[name])
	}
	return args, nil
}

// bindValue wraps the numbers in an input (also inside lists, which become
// arrays) so that pgx encodes them faithfully for whatever type PostgreSQL wants.
// Objects are left alone: they become json/jsonb, and encoding/json writes their
// numbers as they are.
func bindValue(v any) any {
	switch x := v.(type) {
	case float64:
		return number(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = bindValue(e)
		}
		return out
	}
	return v
}

// number is an input number. A plain float64 would be truncated by pgx when the
// parameter is an integer (1.5 becomes 1, silently); number refuses instead, so
// the call fails with invalid_input. It also fits numeric and float parameters
// (Float64Valuer, which pgx prefers there), text (its shortest decimal form) and
// json (a named float64 marshals as a number).
type number float64

func (n number) Float64Value() (pgtype.Float8, error) {
	return pgtype.Float8{Float64: float64(n), Valid: true}, nil
}

func (n number) Int64Value() (pgtype.Int8, error) {
	f := float64(n)
	if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return pgtype.Int8{}, errors.New("not a whole number in range for an integer")
	}
	return pgtype.Int8{Int64: int64(f), Valid: true}, nil
}

func (n number) TextValue() (pgtype.Text, error) {
	return pgtype.Text{String: strconv.FormatFloat(float64(n), 'f', -1, 64), Valid: true}, nil
}

// run does one round trip for the statement (and the timeout before it) inside
// a transaction, read only unless the operation writes.
func (c *connector) run(ctx context.Context, op *operation, args []any) (map[string]any, error) {
	opts := pgx.TxOptions{AccessMode: pgx.ReadOnly}
	if op.write {
		opts.AccessMode = pgx.ReadWrite
	}
	tx, err := c.pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, c.classify(ctx, op, err)
	}
	defer func() { _ = tx.Rollback(ctx) }() // a no-op after Commit

	batch := &pgx.Batch{}
	timeout := c.statementTimeout(ctx)
	if timeout > 0 {
		batch.Queue(setStatementTimeout, strconv.FormatInt(timeout.Milliseconds(), 10))
	}
	batch.Queue(op.sql, args...)
	br := tx.SendBatch(ctx, batch)
	data, err := op.read(tx.Conn().TypeMap(), br, timeout > 0)
	if closeErr := br.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = tx.Commit(ctx)
	}
	if err != nil {
		return nil, c.classify(ctx, op, err)
	}
	return data, nil
}

// statementTimeout is the server-side limit for a call: statement_timeout, or
// less when the call's context ends sooner, so PostgreSQL stops work nobody is
// waiting for (a cancelled client otherwise leaves the query running). Zero: no
// limit beyond the server's own.
func (c *connector) statementTimeout(ctx context.Context) time.Duration {
	limit := c.stmtTimeout
	if deadline, ok := ctx.Deadline(); ok {
		left := time.Until(deadline)
		if limit == 0 || left < limit {
			limit = left
		}
	}
	if limit <= 0 {
		return 0
	}
	return max(limit, time.Millisecond)
}

// read takes the batch's results: the timeout's, when set, then the query's.
func (op *operation) read(m *pgtype.Map, br pgx.BatchResults, withTimeout bool) (map[string]any, error) {
	if withTimeout {
		if _, err := br.Exec(); err != nil {
			return nil, err
		}
	}
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	return op.collect(m, rows)
}

// collect reads the result into the operation's shape and closes rows.
func (op *operation) collect(m *pgtype.Map, rows pgx.Rows) (map[string]any, error) {
	defer rows.Close()
	fields := fieldsOf(rows)
	var list []any
	var first map[string]any
	for rows.Next() {
		if first != nil && !op.many {
			continue // only the first row counts; the rest are read and dropped
		}
		if len(list) == op.maxRows {
			return nil, &resultError{fmt.Sprintf("the query returned more than %d rows (max_rows); add a LIMIT or raise max_rows", op.maxRows)}
		}
		values, err := rows.Values()
		if err != nil {
			return nil, err
		}
		row, err := rowMap(m, fields, values)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = row
		}
		if op.many {
			list = append(list, row)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	data := map[string]any{}
	if op.write {
		data["affected"] = float64(rows.CommandTag().RowsAffected())
	}
	switch {
	case op.many:
		if list == nil {
			list = []any{}
		}
		data["rows"] = list
	case first != nil:
		for k, v := range first {
			data[k] = v
		}
	case !op.write:
		return nil, fmt.Errorf("no row: %w", connectors.ErrNotFound)
	}
	return data, nil
}

// Health checks that the database answers.
func (c *connector) Health(ctx context.Context) error {
	if c.closed.Load() {
		return fmt.Errorf("sql %s: connector is closed: %w", c.name, connectors.ErrUnavailable)
	}
	if err := c.pool.Ping(ctx); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxError("sql "+c.name, ctxErr)
		}
		return fmt.Errorf("sql %s: %v: %w", c.name, err, connectors.ErrUnavailable)
	}
	return nil
}

// Close closes the pool, waiting for calls in progress to give back their
// connections. Calls after it fail with unavailable.
func (c *connector) Close() error {
	c.closeOnce.Do(func() {
		c.closed.Store(true)
		c.pool.Close()
	})
	return nil
}

func optionalString(settings cty.Value, name string) (string, error) {
	v, _ := driverkit.Attr(settings, name).Unmark()
	if v.IsNull() {
		return "", nil
	}
	if !v.IsKnown() || v.Type() != cty.String {
		return "", fmt.Errorf("%s must be a string", name)
	}
	return v.AsString(), nil
}

func optionalBool(settings cty.Value, name string) (bool, error) {
	v, _ := driverkit.Attr(settings, name).Unmark()
	if v.IsNull() {
		return false, nil
	}
	if !v.IsKnown() || v.Type() != cty.Bool {
		return false, fmt.Errorf("%s must be true or false", name)
	}
	return v.True(), nil
}

func optionalInt(settings cty.Value, name string, def, lo, hi int) (int, error) {
	v, _ := driverkit.Attr(settings, name).Unmark()
	if v.IsNull() {
		return def, nil
	}
	var n int
	if !v.IsKnown() || v.Type() != cty.Number || gocty.FromCtyValue(v, &n) != nil {
		return 0, fmt.Errorf("%s must be a whole number", name)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%s = %d is out of range (%d to %d)", name, n, lo, hi)
	}
	return n, nil
}
