package server

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine"
)

// U+0000 never means anything in a message, an id or a name, and PostgreSQL
// cannot store it in text (the embedded store can), so it is refused with 400
// where input comes in: here for the API (bodies, paths and query strings) and
// in the channels package for webhooks. Both stores then see the same input,
// and a webhook sender gets an answer it will not retry forever.

// refuseNUL answers 400 to a request whose path or query string holds U+0000
// (%00), naming where.
func refuseNUL(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if strings.IndexByte(r.URL.Path, 0) >= 0 {
			return fmt.Errorf("%w: the path contains a NUL character (%%00)", engine.ErrInvalidInput)
		}
		if strings.Contains(r.URL.RawQuery, "%00") || strings.IndexByte(r.URL.RawQuery, 0) >= 0 {
			for name, values := range r.URL.Query() {
				for _, v := range values {
					if strings.IndexByte(name, 0) >= 0 || strings.IndexByte(v, 0) >= 0 {
						return fmt.Errorf("%w: query parameter %q contains a NUL character (%%00)", engine.ErrInvalidInput, strings.ReplaceAll(name, "\x00", ""))
					}
				}
			}
		}
		return next(c)
	}
}

// utf8Only answers 415 to a body declared in a charset other than UTF-8: JSON
// is UTF-8 (RFC 8259), and latin-1 bytes read as UTF-8 would garble or be
// refused later with a less helpful message.
func utf8Only(c echo.Context) error {
	ct := c.Request().Header.Get("Content-Type")
	if ct == "" || strings.EqualFold(ct, "application/json") {
		return nil // what nearly every client sends: no charset to check
	}
	_, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q cannot be parsed", ct))
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, fmt.Sprintf("the body is declared as %s; send it as UTF-8 (charset=utf-8, or no charset)", cs))
	}
	return nil
}

// nulField names the first field of a decoded request body that holds U+0000,
// by its JSON name ("customer.name", "skills[2]"), or "" when none does.
func nulField(v any) string {
	return findNUL(reflect.ValueOf(v), "")
}

func findNUL(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ""
		}
		return findNUL(v.Elem(), path)
	case reflect.String:
		if strings.IndexByte(v.String(), 0) >= 0 {
			return cmp.Or(path, "the body")
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if p := findNUL(v.Field(i), joinPath(path, name)); p != "" {
				return p
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			key := fmt.Sprint(iter.Key().Interface())
			if strings.IndexByte(key, 0) >= 0 {
				return joinPath(path, strings.ReplaceAll(key, "\x00", "")) + " (its name)"
			}
			if p := findNUL(iter.Value(), joinPath(path, key)); p != "" {
				return p
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if p := findNUL(v.Index(i), path+"["+strconv.Itoa(i)+"]"); p != "" {
				return p
			}
		}
	}
	return ""
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// errNUL is the error for a body field holding U+0000.
func errNUL(field string) error {
	return fmt.Errorf("%w: %s contains a NUL character (U+0000)", engine.ErrInvalidInput, field)
}

// utf8Field names the first field of a JSON body whose text (or name) is not
// valid UTF-8, as nulField names one holding U+0000; "the body" when the
// bytes are outside any string or the JSON does not parse.
func utf8Field(raw []byte) string {
	type level struct {
		object bool
		key    string // an object's current member
		index  int    // an array's current element
		onKey  bool   // an object's next token is a member's name
	}
	var stack []level
	path := func() string {
		p := ""
		for _, l := range stack {
			if l.object {
				p = joinPath(p, l.key)
			} else {
				p += "[" + strconv.Itoa(l.index) + "]"
			}
		}
		return cmp.Or(p, "the body")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return "the body"
		}
		s, isString := tok.(string)
		bad := isString && !utf8.Valid(raw[start:dec.InputOffset()])
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		var top *level
		if n := len(stack); n > 0 {
			top = &stack[n-1]
		}
		if top != nil && top.object && top.onKey {
			top.key, top.onKey = s, false
			if bad {
				return path() + " (its name)"
			}
			continue
		}
		if top != nil {
			if top.object {
				top.onKey = true
			} else {
				top.index++
			}
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, level{object: d == '{', index: -1, onKey: d == '{'})
			continue
		}
		if bad {
			return path()
		}
	}
}

// jsonTypeName says what JSON value a Go type takes, for an error message.
func jsonTypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Pointer:
		return jsonTypeName(t.Elem())
	}
	return "an object"
}

// jsonKind names what encoding/json found ("number", "string", "array"...).
func jsonKind(value string) string {
	switch value {
	case "array":
		return "a list"
	case "object":
		return "an object"
	case "bool":
		return "true or false"
	}
	if n, ok := strings.CutPrefix(value, "number "); ok {
		return "a number (" + n + ")" // 1.5 for a whole number
	}
	return "a " + value
}
