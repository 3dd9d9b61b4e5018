package httpconn

import (
	"fmt"
	"strconv"
	"strings"
)

// step is one step of a result path: an object key, or an array index when
// index >= 0. A step written as a bare number ("items.0") is both, decided by
// what the response holds there.
type step struct {
	key   string
	index int
}

// jsonPath is a compiled result path such as "order.items[0].sku".
type jsonPath []step

// parsePath accepts dotted names with array indexes, "items[0].sku" or
// "items.0.sku", optionally after "$." ("$" alone is the whole body).
func parsePath(s string) (jsonPath, error) {
	rest := strings.TrimSpace(s)
	switch {
	case rest == "":
		return nil, fmt.Errorf("path is empty")
	case rest == "$":
		return jsonPath{}, nil
	}
	rest = strings.TrimPrefix(rest, "$.")
	if strings.HasPrefix(rest, "$[") {
		rest = rest[1:]
	}
	var p jsonPath
	for _, seg := range strings.Split(rest, ".") {
		name, brackets, _ := strings.Cut(seg, "[")
		if name == "" && brackets == "" {
			return nil, fmt.Errorf("path %q has an empty name", s)
		}
		if name != "" {
			st := step{key: name, index: -1}
			if n, err := strconv.Atoi(name); err == nil && n >= 0 {
				st.index = n
			}
			p = append(p, st)
		}
		if seg != name { // one or more [n]
			for b := "[" + brackets; b != ""; {
				end := strings.IndexByte(b, ']')
				if !strings.HasPrefix(b, "[") || end < 0 {
					return nil, fmt.Errorf("path %q: want [index] after %q", s, name)
				}
				n, err := strconv.Atoi(b[1:end])
				if err != nil || n < 0 {
					return nil, fmt.Errorf("path %q: %q is not an array index", s, b[:end+1])
				}
				p = append(p, step{index: n})
				b = b[end+1:]
			}
		}
	}
	return p, nil
}

// lookup follows the path through decoded JSON; nil when it leads nowhere.
func (p jsonPath) lookup(v any) any {
	for _, st := range p {
		switch x := v.(type) {
		case map[string]any:
			if st.key == "" {
				return nil
			}
			v = x[st.key]
		case []any:
			if st.index < 0 || st.index >= len(x) {
				return nil
			}
			v = x[st.index]
		default:
			return nil
		}
	}
	return v
}
