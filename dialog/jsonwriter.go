package dialog

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// jsonWriter writes JSON as encoding/json does; after the first error it
// writes nothing that matters, and the caller asks encoding/json instead.
type jsonWriter struct {
	b     []byte
	err   error
	comma bool // the object being written has a field already
}

var errNotJSON = errors.New("a value JSON cannot hold")

func (w *jsonWriter) open() {
	w.b = append(w.b, '{')
	w.comma = false
}

func (w *jsonWriter) close() {
	w.b = append(w.b, '}')
	w.comma = true
}

// key starts a field; name needs no escaping.
func (w *jsonWriter) key(name string) {
	if w.comma {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, '"', ':')
	w.comma = false
}

// Fields: always written, or (the omit ones) only when not empty.
func (w *jsonWriter) str(name, s string) { w.key(name); w.string(s); w.comma = true }

func (w *jsonWriter) omitStr(name, s string) {
	if s != "" {
		w.str(name, s)
	}
}

func (w *jsonWriter) omitBool(name string, v bool) {
	if v {
		w.key(name)
		w.b = append(w.b, "true"...)
		w.comma = true
	}
}

func (w *jsonWriter) int(name string, n int64) {
	w.key(name)
	w.b = strconv.AppendInt(w.b, n, 10)
	w.comma = true
}

func (w *jsonWriter) omitInt(name string, n int64) {
	if n != 0 {
		w.int(name, n)
	}
}

func (w *jsonWriter) float(name string, f float64) { w.key(name); w.number(f); w.comma = true }

func (w *jsonWriter) omitFloat(name string, f float64) {
	if f != 0 {
		w.float(name, f)
	}
}

func (w *jsonWriter) time(name string, t time.Time) {
	w.key(name)
	w.b = append(w.b, '"')
	n := len(w.b)
	w.b = t.AppendFormat(w.b, time.RFC3339Nano)
	// What time.Time.MarshalJSON refuses: a year of other than 4 digits, a
	// zone of 24 hours or more or with seconds.
	s := w.b[n:]
	if len(s) < 5 || s[4] != '-' {
		w.err = errNotJSON
	} else if s[len(s)-1] != 'Z' {
		c := s[len(s)-6]
		if '0' <= c && c <= '9' || 10*(s[len(s)-5]-'0')+(s[len(s)-4]-'0') >= 24 {
			w.err = errNotJSON
		}
	}
	w.b = append(w.b, '"')
	w.comma = true
}

// marshal writes a field's value with encoding/json: the rare kinds.
func (w *jsonWriter) marshal(name string, v any) {
	w.key(name)
	w.value(v)
	w.comma = true
}

func (w *jsonWriter) value(v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		w.err = err
		return
	}
	w.b = append(w.b, raw...)
}

// string writes s as encoding/json does, with HTML characters escaped.
func (w *jsonWriter) string(s string) { w.b = AppendJSONString(w.b, s) }

// AppendJSONString appends s as a JSON string, byte for byte what
// encoding/json writes: HTML characters, U+2028 and U+2029 escaped, invalid
// UTF-8 as U+FFFD. It lets the engine's hand-written encoders of its own
// types match json.Marshal.
func AppendJSONString(b []byte, s string) []byte {
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

// number writes a float64 as encoding/json does (like ES6).
func (w *jsonWriter) number(f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		w.err = errNotJSON
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	w.b = strconv.AppendFloat(w.b, f, format, -1, 64)
	if format == 'e' {
		// e-09 as e-9
		if n := len(w.b); n >= 4 && w.b[n-4] == 'e' && w.b[n-3] == '-' && w.b[n-2] == '0' {
			w.b[n-2] = w.b[n-1]
			w.b = w.b[:n-1]
		}
	}
}

// any writes a JSON-like value (what decoding JSON or converting a connector's
// result makes); anything else goes to encoding/json.
func (w *jsonWriter) any(v any) {
	switch x := v.(type) {
	case nil:
		w.b = append(w.b, "null"...)
	case string:
		w.string(x)
	case bool:
		w.b = strconv.AppendBool(w.b, x)
	case float64:
		w.number(x)
	case int:
		w.b = strconv.AppendInt(w.b, int64(x), 10)
	case int64:
		w.b = strconv.AppendInt(w.b, x, 10)
	case []any:
		if x == nil {
			w.b = append(w.b, "null"...)
			return
		}
		w.b = append(w.b, '[')
		for i, e := range x {
			w.elem(i)
			w.any(e)
		}
		w.b = append(w.b, ']')
	case map[string]any:
		w.anyMap(x)
	default:
		w.value(v)
	}
}

func (w *jsonWriter) anyMap(m map[string]any) {
	w.comma = true // as a field's value
	if m == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, '{')
	var keys [8]string
	for i, k := range appendSortedKeys(keys[:0], m) {
		w.member(i, k)
		w.any(m[k])
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) omitAnyMap(name string, m map[string]any) {
	if len(m) > 0 {
		w.key(name)
		w.anyMap(m)
	}
}

// omitMap writes m as the object name, its keys in order and each value by
// put; nothing when m is empty.
func omitMap[V any](w *jsonWriter, name string, m map[string]V, put func(V)) {
	if len(m) == 0 {
		return
	}
	w.key(name)
	w.b = append(w.b, '{')
	var keys [8]string
	for i, k := range appendSortedKeys(keys[:0], m) {
		w.member(i, k)
		put(m[k])
	}
	w.endObject()
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

// member starts the i'th member of an object: its key.
func (w *jsonWriter) member(i int, key string) {
	if i > 0 {
		w.b = append(w.b, ',')
	}
	w.string(key)
	w.b = append(w.b, ':')
}

// elem starts the i'th element of a list.
func (w *jsonWriter) elem(i int) {
	if i > 0 {
		w.b = append(w.b, ',')
	}
}

// endObject and endList end an object or a list that is a field's value.
func (w *jsonWriter) endObject() {
	w.b = append(w.b, '}')
	w.comma = true
}

func (w *jsonWriter) endList() {
	w.b = append(w.b, ']')
	w.comma = true
}
