package httpconn

import (
	"fmt"
	"strings"

	"github.com/parleyhq/parley/connectors/internal/placeholder"
)

// render returns a path, query value or body template's value for these inputs,
// and whether it should be sent at all: false when it refers to an input that is
// null or absent (an optional input left out).
func render(t placeholder.Template, in map[string]any) (any, bool) {
	switch t := t.(type) {
	case placeholder.Literal:
		return t.Value, true
	case *placeholder.Object:
		// Fields that refer to null inputs are left out, so an optional input the
		// bot did not give is absent from the request rather than sent as null or "".
		out := make(map[string]any, len(t.Fields))
		for k, ft := range t.Fields {
			if v, ok := render(ft, in); ok {
				out[k] = v
			}
		}
		return out, true
	case *placeholder.List:
		// Positions are kept: a null input stays a null element.
		out := make([]any, len(t.Elems))
		for i, et := range t.Elems {
			out[i], _ = render(et, in)
		}
		return out, true
	case placeholder.Text:
		var b strings.Builder
		for _, p := range t.Parts {
			if p.Input == "" {
				b.WriteString(p.Text)
				continue
			}
			v := in[p.Input]
			if v == nil {
				return nil, false
			}
			b.WriteString(placeholder.Format(v))
		}
		return b.String(), true
	case placeholder.Input:
		v := in[t.Name]
		return v, v != nil
	}
	panic(fmt.Sprintf("httpconn: unknown template %T", t))
}
