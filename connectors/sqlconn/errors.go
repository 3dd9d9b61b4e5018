package sqlconn

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/parleyhq/parley/connectors"
)

// conditionNames names the SQLSTATEs messages mention most, as PostgreSQL's
// documentation does, so a log reader need not look the code up.
var conditionNames = map[string]string{
	"22001": "string_data_right_truncation",
	"22003": "numeric_value_out_of_range",
	"22007": "invalid_datetime_format",
	"22008": "datetime_field_overflow",
	"22012": "division_by_zero",
	"22P02": "invalid_text_representation",
	"23502": "not_null_violation",
	"23503": "foreign_key_violation",
	"23505": "unique_violation",
	"23514": "check_violation",
	"23P01": "exclusion_violation",
	"25006": "read_only_sql_transaction",
	"40001": "serialization_failure",
	"40P01": "deadlock_detected",
	"53300": "too_many_connections",
	"55P03": "lock_not_available",
	"57014": "query_canceled",
	"57P01": "admin_shutdown",
	"57P03": "cannot_connect_now",
	"P0001": "raise_exception",
}

// messageSafeClasses are SQLSTATE classes whose messages talk about the query and
// the server, never about the values in it. Others (22 data exceptions, 23
// constraint violations, P0 raised by triggers) may quote a customer's email or a
// whole row, and stay out of errors, which end up in logs.
var messageSafeClasses = map[string]bool{
	"08": true, "0A": true, "25": true, "28": true, "3D": true, "3F": true,
	"40": true, "42": true, "53": true, "55": true, "57": true,
}

// encodeArgRE finds which argument pgx could not encode. pgx's message goes on to
// quote the value, so only the position is kept.
var encodeArgRE = regexp.MustCompile(`failed to encode args\[(\d+)\]`)

// classify maps an error from pgx to the connector errors the engine acts on,
// keeping parameter values out of the message.
func (c *connector) classify(ctx context.Context, op *operation, err error) error {
	where := fmt.Sprintf("sql %s.%s", c.name, op.name)
	var re *resultError
	if errors.As(err, &re) {
		return fmt.Errorf("%s: %w", where, re)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxError(where, ctxErr)
	}
	if errors.Is(err, connectors.ErrNotFound) {
		return fmt.Errorf("%s: %w", where, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pgError(where, op, pe)
	}
	if m := encodeArgRE.FindStringSubmatch(err.Error()); m != nil {
		what := "an input"
		if i, convErr := strconv.Atoi(m[1]); convErr == nil && i < len(op.params) {
			what = "input " + op.params[i]
		}
		return fmt.Errorf("%s: %s does not fit the type PostgreSQL expects for it: %w", where, what, connectors.ErrInvalidInput)
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		// Includes connect_timeout expiring: the server was not reached.
		return fmt.Errorf("%s: %v: %w", where, err, connectors.ErrUnavailable)
	}
	if pgconn.Timeout(err) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %v: %w", where, err, connectors.ErrTimeout)
	}
	return fmt.Errorf("%s: %v: %w", where, err, connectors.ErrUnavailable)
}

func ctxError(where string, ctxErr error) error {
	if errors.Is(ctxErr, context.DeadlineExceeded) {
		return fmt.Errorf("%s: no answer in time: %w: %w", where, connectors.ErrTimeout, ctxErr)
	}
	return fmt.Errorf("%s: %w", where, ctxErr)
}

func pgError(where string, op *operation, pe *pgconn.PgError) error {
	detail := describePgError(pe)
	class := pe.Code[:min(2, len(pe.Code))]
	switch {
	case pe.Code == "25006" && !op.write:
		return fmt.Errorf("%s: the query tried to change data (%s); declare the operation write = true if it is meant to", where, detail)
	case pe.Code == "25006":
		// A write refused for being read-only: the server is a standby or in
		// read-only mode, as during a failover.
		return fmt.Errorf("%s: the database accepts no writes now (%s): %w", where, detail, connectors.ErrUnavailable)
	case pe.Code == "57014":
		return fmt.Errorf("%s: statement timeout (%s): %w", where, detail, connectors.ErrTimeout)
	case class == "23", pe.Code == "P0001":
		return fmt.Errorf("%s: %s: %w", where, detail, connectors.ErrRejected)
	case class == "22":
		return fmt.Errorf("%s: %s: %w", where, detail, connectors.ErrInvalidInput)
	case class == "08", class == "53", class == "58", strings.HasPrefix(pe.Code, "57P"),
		pe.Code == "40001", pe.Code == "40P01", pe.Code == "55P03":
		return fmt.Errorf("%s: %s: %w", where, detail, connectors.ErrUnavailable)
	}
	return fmt.Errorf("%s: %s", where, detail)
}

// describePgError says what went wrong from the error's code and the schema
// objects it names, and its message only when that cannot hold values.
func describePgError(pe *pgconn.PgError) string {
	var parts []string
	if name := conditionNames[pe.Code]; name != "" {
		parts = append(parts, name)
	}
	parts = append(parts, "SQLSTATE "+pe.Code)
	for _, obj := range []struct{ what, name string }{
		{"constraint", pe.ConstraintName},
		{"table", pe.TableName},
		{"column", pe.ColumnName},
		{"type", pe.DataTypeName},
	} {
		if obj.name != "" {
			parts = append(parts, obj.what+" "+obj.name)
		}
	}
	s := strings.Join(parts, ", ")
	if len(pe.Code) >= 2 && messageSafeClasses[pe.Code[:2]] && pe.Message != "" {
		s = pe.Message + " (" + s + ")"
	}
	return s
}
