package dialog

import "github.com/parleyhq/parley/dialog/internal/jsonw"

// jsonWriter is the shared writer, with the dialog's own types' methods on
// it (json.go).
type jsonWriter struct{ jsonw.Writer }

// AppendJSONString appends s as a JSON string, byte for byte what
// encoding/json writes (HTML characters escaped).
func AppendJSONString(b []byte, s string) []byte { return jsonw.AppendString(b, s) }
