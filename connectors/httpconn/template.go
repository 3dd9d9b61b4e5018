package httpconn

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// template is a path, query value or body compiled once at Open, so a call only
// renders it.
type template interface {
	// render returns the value and whether it should be sent at all: false when
	// it refers to an input that is null or absent (an optional input left out).
	render(in map[string]any) (any, bool)
}

type (
	literal        struct{ v any } // string, float64, bool or nil: immutable, shared safely
	objectTemplate struct{ fields map[string]template }
	listTemplate   struct{ elems []template }
	stringTemplate struct{ parts []part } // text with placeholders
	inputTemplate  struct{ name string }  // exactly "{name}": the input's value, typed
)

// part is a run of text, or a placeholder when input is set.
type part struct {
	text  string
	input string
}

// compileTemplate compiles plain data (what connectors.FromCty gives) whose
// strings may hold {input} placeholders. Every placeholder must name a declared
// input; use records the names found, for checks the caller makes.
func compileTemplate(v any, declared map[string]bool, use func(name string)) (template, error) {
	switch x := v.(type) {
	case map[string]any:
		t := &objectTemplate{fields: make(map[string]template, len(x))}
		for _, k := range slices.Sorted(maps.Keys(x)) { // sorted: the first error is deterministic
			ft, err := compileTemplate(x[k], declared, use)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			t.fields[k] = ft
		}
		return t, nil
	case []any:
		t := &listTemplate{elems: make([]template, len(x))}
		for i, e := range x {
			et, err := compileTemplate(e, declared, use)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			t.elems[i] = et
		}
		return t, nil
	case string:
		return compileString(x, declared, use)
	}
	return literal{v: v}, nil
}

func compileString(s string, declared map[string]bool, use func(name string)) (template, error) {
	parts, err := parsePlaceholders(s, declared)
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		if p.input != "" && use != nil {
			use(p.input)
		}
	}
	switch {
	case len(parts) == 1 && parts[0].input != "":
		return inputTemplate{name: parts[0].input}, nil
	case len(parts) <= 1:
		return literal{v: s}, nil
	}
	return stringTemplate{parts: parts}, nil
}

// parsePlaceholders splits s into text and {name} placeholders. Braces around
// anything that is not an identifier ("{ }", "{1}") are plain text; an
// identifier that is not a declared input is an error, to catch typos.
func parsePlaceholders(s string, declared map[string]bool) ([]part, error) {
	var parts []part
	var text strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '{' {
			if n := identifierLen(s[i+1:]); n > 0 && i+1+n < len(s) && s[i+1+n] == '}' {
				name := s[i+1 : i+1+n]
				if !declared[name] {
					return nil, fmt.Errorf("placeholder {%s} is not a declared input (declared: %s)", name, listOrNone(slices.Sorted(maps.Keys(declared))))
				}
				if text.Len() > 0 {
					parts = append(parts, part{text: text.String()})
					text.Reset()
				}
				parts = append(parts, part{input: name})
				i += n + 2
				continue
			}
		}
		text.WriteByte(s[i])
		i++
	}
	if text.Len() > 0 {
		parts = append(parts, part{text: text.String()})
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

func (t literal) render(map[string]any) (any, bool) { return t.v, true }

// render leaves out fields that refer to null inputs, so an optional input the
// bot did not give is absent from the request rather than sent as null or "".
func (t *objectTemplate) render(in map[string]any) (any, bool) {
	out := make(map[string]any, len(t.fields))
	for k, ft := range t.fields {
		if v, ok := ft.render(in); ok {
			out[k] = v
		}
	}
	return out, true
}

// render keeps list positions: a null input stays a null element.
func (t *listTemplate) render(in map[string]any) (any, bool) {
	out := make([]any, len(t.elems))
	for i, et := range t.elems {
		out[i], _ = et.render(in)
	}
	return out, true
}

func (t stringTemplate) render(in map[string]any) (any, bool) {
	var b strings.Builder
	for _, p := range t.parts {
		if p.input == "" {
			b.WriteString(p.text)
			continue
		}
		v := in[p.input]
		if v == nil {
			return nil, false
		}
		b.WriteString(formatInput(v))
	}
	return b.String(), true
}

func (t inputTemplate) render(in map[string]any) (any, bool) {
	v := in[t.name]
	return v, v != nil
}

// formatInput writes an input into text the way a person would: 499 not
// 4.99e+02, and JSON for lists and objects.
func formatInput(v any) string {
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

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
