package sqlconn

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// maxExactInt is the largest integer a float64 (a JSON number) holds exactly.
const maxExactInt = 1 << 53

// timestampLayout writes a timestamp without time zone: RFC 3339 without the
// offset, because claiming UTC (Z) for a zoneless value would be a lie.
const timestampLayout = "2006-01-02T15:04:05.999999999"

// resultError is a column that cannot become a plain value. It is already
// worded for the bot's author, so it is not classified like a database error.
type resultError struct{ msg string }

func (e *resultError) Error() string { return e.msg }

// rowMap turns one row into an object keyed by column name.
func rowMap(m *pgtype.Map, fields []pgconnField, values []any) (map[string]any, error) {
	row := make(map[string]any, len(fields))
	for i, f := range fields {
		if _, dup := row[f.name]; dup {
			return nil, &resultError{fmt.Sprintf("column %q appears twice in the result; give one an alias with AS", f.name)}
		}
		v, err := plainValue(m, f.oid, values[i])
		if err != nil {
			return nil, &resultError{fmt.Sprintf("column %q: %v", f.name, err)}
		}
		row[f.name] = v
	}
	return row, nil
}

// pgconnField is the part of a field description conversion needs.
type pgconnField struct {
	name string
	oid  uint32
}

func fieldsOf(rows pgx.Rows) []pgconnField {
	fds := rows.FieldDescriptions()
	out := make([]pgconnField, len(fds))
	for i, fd := range fds {
		out[i] = pgconnField{name: fd.Name, oid: fd.DataTypeOID}
	}
	return out
}

// plainValue converts a value from pgx.Rows.Values to the plain JSON types a
// connector returns. oid is the column's type; it tells a date from a timestamp,
// which pgx both gives as time.Time. Types without a case here (interval, inet,
// money, enums...) take PostgreSQL's own text form.
func plainValue(m *pgtype.Map, oid uint32, v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return x, nil
	case bool:
		return x, nil
	case int16:
		return float64(x), nil
	case int32:
		return float64(x), nil
	case uint32:
		return float64(x), nil
	case int64:
		if x > maxExactInt || x < -maxExactInt {
			return nil, errors.New("the integer is too large for a JSON number to hold exactly; cast it to text in the query")
		}
		return float64(x), nil
	case float32:
		return finite(float64(x))
	case float64:
		return finite(x)
	case pgtype.Numeric:
		if !x.Valid {
			return nil, nil
		}
		if x.NaN || x.InfinityModifier != pgtype.Finite {
			return nil, errors.New("NaN and infinity are not JSON numbers")
		}
		f, err := x.Float64Value()
		if err != nil {
			return nil, fmt.Errorf("numeric: %w", err)
		}
		return finite(f.Float64)
	case time.Time:
		switch oid {
		case pgtype.DateOID:
			return x.Format(time.DateOnly), nil
		case pgtype.TimestampOID:
			return x.Format(timestampLayout), nil
		default:
			return x.UTC().Format(time.RFC3339Nano), nil
		}
	case pgtype.InfinityModifier:
		return x.String(), nil
	case [16]byte:
		return fmt.Sprintf("%x-%x-%x-%x-%x", x[0:4], x[4:6], x[6:8], x[8:10], x[10:16]), nil
	case []byte:
		// bytea: base64, as encoding/json writes []byte.
		return base64.StdEncoding.EncodeToString(x), nil
	case map[string]any: // json, jsonb: already decoded by encoding/json
		out := make(map[string]any, len(x))
		for k, e := range x {
			pe, err := plainValue(m, pgtype.JSONBOID, e)
			if err != nil {
				return nil, err
			}
			out[k] = pe
		}
		return out, nil
	case []any: // arrays, and json arrays
		elem := elementOID(m, oid)
		out := make([]any, len(x))
		for i, e := range x {
			pe, err := plainValue(m, elem, e)
			if err != nil {
				return nil, err
			}
			out[i] = pe
		}
		return out, nil
	}
	buf, err := m.Encode(oid, pgtype.TextFormatCode, v, nil)
	if err != nil || buf == nil {
		return nil, fmt.Errorf("type OID %d (%T) has no plain form; cast it to text in the query", oid, v)
	}
	return string(buf), nil
}

// elementOID is an array type's element type, or oid itself for json arrays.
func elementOID(m *pgtype.Map, oid uint32) uint32 {
	if t, ok := m.TypeForOID(oid); ok {
		if ac, ok := t.Codec.(*pgtype.ArrayCodec); ok {
			return ac.ElementType.OID
		}
	}
	return oid
}

func finite(f float64) (any, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, errors.New("NaN and infinity are not JSON numbers")
	}
	return f, nil
}
