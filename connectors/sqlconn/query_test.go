package sqlconn

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestScanQuery(t *testing.T) {
	for _, tc := range []struct {
		name    string
		query   string
		want    queryShape
		wantErr bool
	}{
		{name: "names in order of first use", query: "SELECT * FROM t WHERE a = @a AND b = @b_2 OR a = @a",
			want: queryShape{names: []string{"a", "b_2"}, statements: 1}},
		{name: "string literal", query: "SELECT '@no', 'it''s @no' WHERE x = @yes",
			want: queryShape{names: []string{"yes"}, statements: 1}},
		{name: "escape string", query: `SELECT E'\' @no' WHERE x = @yes`,
			want: queryShape{names: []string{"yes"}, statements: 1}},
		{name: "quoted identifier", query: `SELECT "@no" FROM t WHERE x = @yes`,
			want: queryShape{names: []string{"yes"}, statements: 1}},
		{name: "line comment", query: "SELECT 1 -- @no\nWHERE x = @yes",
			want: queryShape{names: []string{"yes"}, statements: 1}},
		{name: "nested block comment", query: "SELECT /* a /* @no */ @no */ @yes",
			want: queryShape{names: []string{"yes"}, statements: 1}},
		{name: "dollar quotes", query: "SELECT $$@no$$, $tag$ @no $$ $tag$, @yes",
			want: queryShape{names: []string{"yes"}, statements: 1}},
		{name: "operators are not names", query: "SELECT @ -5, j @> '{}', tsv @@ q, @yes",
			want: queryShape{names: []string{"yes"}, statements: 1}},
		{name: "dollar inside identifier", query: "SELECT a$1 FROM t WHERE x = @yes",
			want: queryShape{names: []string{"yes"}, statements: 1}},
		{name: "positional", query: "SELECT * FROM t WHERE x = $1",
			want: queryShape{positional: true, statements: 1}},
		{name: "trailing semicolon and comment", query: "SELECT 1; -- done\n",
			want: queryShape{statements: 1}},
		{name: "two statements", query: "SELECT 1; SELECT 2",
			want: queryShape{statements: 2}},
		{name: "semicolon in string", query: "SELECT ';'",
			want: queryShape{statements: 1}},
		{name: "unterminated string", query: "SELECT 'x", wantErr: true},
		{name: "unterminated identifier", query: `SELECT "x`, wantErr: true},
		{name: "unterminated comment", query: "SELECT /* x", wantErr: true},
		{name: "unterminated dollar quote", query: "SELECT $a$ x", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := scanQuery(tc.query)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("scanQuery(%q) = %+v, want an error", tc.query, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("scanQuery(%q): %v", tc.query, err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(queryShape{}), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("scanQuery(%q) mismatch (-want +got):\n%s", tc.query, diff)
			}
			if tc.want.positional || tc.want.statements > 1 {
				return
			}
			// pgx must see exactly the same names, or positionalQuery fails.
			if _, _, err := positionalQuery(tc.query, got.names); err != nil {
				t.Errorf("positionalQuery: %v", err)
			}
		})
	}
}

func TestPositionalQuery(t *testing.T) {
	sql, params, err := positionalQuery("SELECT @b, @a, @b", []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if sql != "SELECT $1, $2, $1" {
		t.Errorf("sql = %q", sql)
	}
	if diff := cmp.Diff([]string{"b", "a"}, params); diff != "" {
		t.Errorf("params mismatch (-want +got):\n%s", diff)
	}
}
