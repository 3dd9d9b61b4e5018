// Package placeholder compiles the {input} placeholders that connectors let a
// bot write in strings and plain data (a path, a query value, a body, a
// respond block). It only compiles and formats: what a null input does to the
// result is each connector's own rule, so each renders a Template itself.
package placeholder

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/connectors/internal/driverkit"
)

// Part is a run of text, or a placeholder when Input is set.
type Part struct {
	Text  string
	Input string
}

// Parse splits s into text and {name} placeholders. Braces around anything that
// is not an identifier (JSON, "{ }", "{1}") are plain text; an identifier that
// is not a declared input is an error, to catch typos.
func Parse(s string, declared map[string]bool) ([]Part, error) {
	var parts []Part
	var text strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '{' {
			if n := identifierLen(s[i+1:]); n > 0 && i+1+n < len(s) && s[i+1+n] == '}' {
				name := s[i+1 : i+1+n]
				if !declared[name] {
					return nil, fmt.Errorf("placeholder {%s} is not a declared input (declared: %s)", name, driverkit.ListOrNone(slices.Sorted(maps.Keys(declared))))
				}
				if text.Len() > 0 {
					parts = append(parts, Part{Text: text.String()})
					text.Reset()
				}
				parts = append(parts, Part{Input: name})
				i += n + 2
				continue
			}
		}
		text.WriteByte(s[i])
		i++
	}
	if text.Len() > 0 {
		parts = append(parts, Part{Text: text.String()})
	}
	return parts, nil
}

// identifierLen is the length of the HCL identifier s starts with, or 0.
func identifierLen(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
		if letter || i > 0 && (c >= '0' && c <= '9' || c == '-') {
			continue
		}
		return i
	}
	return len(s)
}

// Template is plain data compiled once when a connector opens, so a call only
// renders it. It is one of Literal, *Object, *List, Text and Input.
type Template interface{ template() }

type (
	// Literal is a value with no placeholder: a string, float64, bool or nil,
	// immutable and so shared safely.
	Literal struct{ Value any }
	// Object is an object whose fields are templates.
	Object struct{ Fields map[string]Template }
	// List is a list whose elements are templates.
	List struct{ Elems []Template }
	// Text is a string with placeholders in it: it renders as a string.
	Text struct{ Parts []Part }
	// Input is a string that is exactly "{name}": it renders as the input's
	// value, keeping its type.
	Input struct{ Name string }
)

func (Literal) template() {}
func (*Object) template() {}
func (*List) template()   {}
func (Text) template()    {}
func (Input) template()   {}

// Compile compiles plain data (what connectors.FromCty gives) whose strings may
// hold {input} placeholders. Every placeholder must name a declared input; use,
// when not nil, is told each name found, for checks the caller makes.
func Compile(v any, declared map[string]bool, use func(name string)) (Template, error) {
	switch x := v.(type) {
	case map[string]any:
		t := &Object{Fields: make(map[string]Template, len(x))}
		for _, k := range slices.Sorted(maps.Keys(x)) { // sorted: the first error is deterministic
			ft, err := Compile(x[k], declared, use)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			t.Fields[k] = ft
		}
		return t, nil
	case []any:
		t := &List{Elems: make([]Template, len(x))}
		for i, e := range x {
			et, err := Compile(e, declared, use)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			t.Elems[i] = et
		}
		return t, nil
	case string:
		return CompileString(x, declared, use)
	}
	return Literal{Value: v}, nil
}

// CompileString compiles one string, as Compile does.
func CompileString(s string, declared map[string]bool, use func(name string)) (Template, error) {
	parts, err := Parse(s, declared)
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		if p.Input != "" && use != nil {
			use(p.Input)
		}
	}
	switch {
	case len(parts) == 1 && parts[0].Input != "":
		return Input{Name: parts[0].Input}, nil
	case len(parts) <= 1:
		return Literal{Value: s}, nil
	}
	return Text{Parts: parts}, nil
}

// Format writes an input into text the way a person would: 499 not 4.99e+02,
// nothing for null, and JSON for lists and objects.
func Format(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case json.Number:
		return x.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
