package httpconn

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParsePath(t *testing.T) {
	tests := []struct {
		path    string
		want    jsonPath
		wantErr string
	}{
		{path: "status", want: jsonPath{{key: "status", index: -1}}},
		{path: "$.order.status", want: jsonPath{{key: "order", index: -1}, {key: "status", index: -1}}},
		{path: "$", want: jsonPath{}},
		{path: "items[0].sku", want: jsonPath{{key: "items", index: -1}, {index: 0}, {key: "sku", index: -1}}},
		{path: "items.0.sku", want: jsonPath{{key: "items", index: -1}, {key: "0", index: 0}, {key: "sku", index: -1}}},
		{path: "grid[1][2]", want: jsonPath{{key: "grid", index: -1}, {index: 1}, {index: 2}}},
		{path: "[0].sku", want: jsonPath{{index: 0}, {key: "sku", index: -1}}},
		{path: "$[3]", want: jsonPath{{index: 3}}},
		{path: "", wantErr: "path is empty"},
		{path: "a..b", wantErr: `path "a..b" has an empty name`},
		{path: "a.", wantErr: "has an empty name"},
		{path: "a[x]", wantErr: `"[x]" is not an array index`},
		{path: "a[-1]", wantErr: "is not an array index"},
		{path: "a[1", wantErr: "want [index]"},
		{path: "a[1]b", wantErr: "want [index]"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			got, err := parsePath(tc.path)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parsePath(%q) error = %v, want one containing %q", tc.path, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parsePath(%q): %v", tc.path, err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(step{})); diff != "" {
				t.Errorf("parsePath(%q) mismatch (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}
