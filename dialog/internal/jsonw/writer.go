// Package jsonw writes JSON byte for byte as encoding/json does, field by
// field, for the hand-written encoders of the dialog state, its events and
// the outcome records: the hot path of every turn.
package jsonw

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Writer writes JSON as encoding/json does; after the first error it
// writes nothing that matters, and the caller asks encoding/json instead.
type Writer struct {
	B     []byte
	Err   error
	Comma bool // the object being written has a field already
}

var ErrNotJSON = errors.New("a value JSON cannot hold")

func (w *Writer) Open() {
	w.B = append(w.B, '{')
	w.Comma = false
}

func (w *Writer) Close() {
	w.B = append(w.B, '}')
	w.Comma = true
}

// Key starts a field; name needs no escaping.
func (w *Writer) Key(name string) {
	if w.Comma {
		w.B = append(w.B, ',')
	}
	w.B = append(w.B, '"')
	w.B = append(w.B, name...)
	w.B = append(w.B, '"', ':')
	w.Comma = false
}

// Fields: always written, or (the omit ones) only when not empty.
func (w *Writer) Str(name, s string) { w.Key(name); w.String(s); w.Comma = true }

func (w *Writer) OmitStr(name, s string) {
	if s != "" {
		w.Str(name, s)
	}
}

func (w *Writer) OmitBool(name string, v bool) {
	if v {
		w.Key(name)
		w.B = append(w.B, "true"...)
		w.Comma = true
	}
}

func (w *Writer) Int(name string, n int64) {
	w.Key(name)
	w.B = strconv.AppendInt(w.B, n, 10)
	w.Comma = true
}

func (w *Writer) OmitInt(name string, n int64) {
	if n != 0 {
		w.Int(name, n)
	}
}

func (w *Writer) Float(name string, f float64) { w.Key(name); w.Number(f); w.Comma = true }

func (w *Writer) OmitFloat(name string, f float64) {
	if f != 0 {
		w.Float(name, f)
	}
}

func (w *Writer) Time(name string, t time.Time) {
	w.Key(name)
	w.B = append(w.B, '"')
	n := len(w.B)
	w.B = t.AppendFormat(w.B, time.RFC3339Nano)
	// What time.Time.MarshalJSON refuses: a year of other than 4 digits, a
	// zone of 24 hours or more or with seconds.
	s := w.B[n:]
	if len(s) < 5 || s[4] != '-' {
		w.Err = ErrNotJSON
	} else if s[len(s)-1] != 'Z' {
		c := s[len(s)-6]
		if '0' <= c && c <= '9' || 10*(s[len(s)-5]-'0')+(s[len(s)-4]-'0') >= 24 {
			w.Err = ErrNotJSON
		}
	}
	w.B = append(w.B, '"')
	w.Comma = true
}

// OmitTime writes t unless it is the zero time.
func (w *Writer) OmitTime(name string, t time.Time) {
	if !t.IsZero() {
		w.Time(name, t)
	}
}

// Marshal writes a field's value with encoding/json: the rare kinds.
func (w *Writer) Marshal(name string, v any) {
	w.Key(name)
	w.Value(v)
	w.Comma = true
}

func (w *Writer) Value(v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		w.Err = err
		return
	}
	w.B = append(w.B, raw...)
}

// String writes s as encoding/json does, with HTML characters escaped.
func (w *Writer) String(s string) { w.B = AppendString(w.B, s) }

// AppendString appends s as a JSON string, byte for byte what
// encoding/json writes: HTML characters, U+2028 and U+2029 escaped, invalid
// UTF-8 as U+FFFD. It lets the engine's hand-written encoders of its own
// types match json.Marshal.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// Number writes a float64 as encoding/json does (like ES6).
func (w *Writer) Number(f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		w.Err = ErrNotJSON
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	w.B = strconv.AppendFloat(w.B, f, format, -1, 64)
	if format == 'e' {
		// e-09 as e-9
		if n := len(w.B); n >= 4 && w.B[n-4] == 'e' && w.B[n-3] == '-' && w.B[n-2] == '0' {
			w.B[n-2] = w.B[n-1]
			w.B = w.B[:n-1]
		}
	}
}

// Any writes a JSON-like value (what decoding JSON or converting a connector's
// result makes); anything else goes to encoding/json.
func (w *Writer) Any(v any) {
	switch x := v.(type) {
	case nil:
		w.B = append(w.B, "null"...)
	case string:
		w.String(x)
	case bool:
		w.B = strconv.AppendBool(w.B, x)
	case float64:
		w.Number(x)
	case int:
		w.B = strconv.AppendInt(w.B, int64(x), 10)
	case int64:
		w.B = strconv.AppendInt(w.B, x, 10)
	case []any:
		if x == nil {
			w.B = append(w.B, "null"...)
			return
		}
		w.B = append(w.B, '[')
		for i, e := range x {
			w.Elem(i)
			w.Any(e)
		}
		w.B = append(w.B, ']')
	case map[string]any:
		w.AnyMap(x)
	default:
		w.Value(v)
	}
}

func (w *Writer) AnyMap(m map[string]any) {
	w.Comma = true // as a field's value
	if m == nil {
		w.B = append(w.B, "null"...)
		return
	}
	w.B = append(w.B, '{')
	var keys [8]string
	for i, k := range appendSortedKeys(keys[:0], m) {
		w.Member(i, k)
		w.Any(m[k])
	}
	w.B = append(w.B, '}')
}

func (w *Writer) OmitAnyMap(name string, m map[string]any) {
	if len(m) > 0 {
		w.Key(name)
		w.AnyMap(m)
	}
}

// OmitMap writes m as the object name, its keys in order and each value by
// put; nothing when m is empty.
func OmitMap[V any](w *Writer, name string, m map[string]V, put func(V)) {
	if len(m) == 0 {
		return
	}
	w.Key(name)
	w.B = append(w.B, '{')
	var keys [8]string
	for i, k := range appendSortedKeys(keys[:0], m) {
		w.Member(i, k)
		put(m[k])
	}
	w.EndObject()
}

// appendSortedKeys appends m's keys in order to keys, which callers make
// from an array on their stack: most maps here have a few keys.
func appendSortedKeys[V any](keys []string, m map[string]V) []string {
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Member starts the i'th member of an object: its key.
func (w *Writer) Member(i int, key string) {
	if i > 0 {
		w.B = append(w.B, ',')
	}
	w.String(key)
	w.B = append(w.B, ':')
}

// Elem starts the i'th element of a list.
func (w *Writer) Elem(i int) {
	if i > 0 {
		w.B = append(w.B, ',')
	}
}

// EndObject and EndList end an object or a list that is a field's value.
func (w *Writer) EndObject() {
	w.B = append(w.B, '}')
	w.Comma = true
}

func (w *Writer) EndList() {
	w.B = append(w.B, ']')
	w.Comma = true
}
