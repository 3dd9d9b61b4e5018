package placeholder

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	declared := map[string]bool{"order_id": true, "x1": true, "a-b": true}
	tests := []struct {
		name    string
		in      string
		want    []Part
		wantErr string
	}{
		{name: "empty", in: "", want: nil},
		{name: "text only", in: "/orders", want: []Part{{Text: "/orders"}}},
		{name: "whole placeholder", in: "{order_id}", want: []Part{{Input: "order_id"}}},
		{name: "text around", in: "/orders/{order_id}/refunds",
			want: []Part{{Text: "/orders/"}, {Input: "order_id"}, {Text: "/refunds"}}},
		{name: "adjacent", in: "{x1}{order_id}", want: []Part{{Input: "x1"}, {Input: "order_id"}}},
		{name: "dash in identifier", in: "{a-b}", want: []Part{{Input: "a-b"}}},
		{name: "not identifiers are text", in: `{ } {1} {"k": 1} {`,
			want: []Part{{Text: `{ } {1} {"k": 1} {`}}},
		{name: "unclosed after name", in: "x{order_id", want: []Part{{Text: "x{order_id"}}},
		{name: "undeclared", in: "/orders/{order}", wantErr: "placeholder {order} is not a declared input (declared: a-b, order_id, x1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in, declared)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Parse(%q) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseNoneDeclared(t *testing.T) {
	_, err := Parse("{x}", nil)
	if want := "placeholder {x} is not a declared input (declared: none)"; err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %q", err, want)
	}
}

func TestCompile(t *testing.T) {
	declared := map[string]bool{"id": true, "amount": true}
	tests := []struct {
		name     string
		in       any
		want     Template
		wantUsed []string
		wantErr  string
	}{
		{name: "number", in: 3.5, want: Literal{Value: 3.5}},
		{name: "null", in: nil, want: Literal{Value: nil}},
		{name: "plain string", in: "hi", want: Literal{Value: "hi"}},
		{name: "empty string", in: "", want: Literal{Value: ""}},
		{name: "json-looking string", in: `{"a": 1}`, want: Literal{Value: `{"a": 1}`}},
		{name: "whole input", in: "{amount}", want: Input{Name: "amount"}, wantUsed: []string{"amount"}},
		{name: "text", in: "RF-{id}", want: Text{Parts: []Part{{Text: "RF-"}, {Input: "id"}}}, wantUsed: []string{"id"}},
		{
			name: "nested",
			in:   map[string]any{"b": []any{"{id}", true}, "a": "x"},
			want: &Object{Fields: map[string]Template{
				"a": Literal{Value: "x"},
				"b": &List{Elems: []Template{Input{Name: "id"}, Literal{Value: true}}},
			}},
			wantUsed: []string{"id"},
		},
		{name: "error has its path", in: map[string]any{"z": []any{"ok", "{nope}"}},
			wantErr: "z: [1]: placeholder {nope} is not a declared input (declared: amount, id)"},
		{name: "first error by sorted key", in: map[string]any{"b": "{y}", "a": "{x}"},
			wantErr: "a: placeholder {x} is not a declared input (declared: amount, id)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var used []string
			got, err := Compile(tt.in, declared, func(name string) { used = append(used, name) })
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Compile error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Compile (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantUsed, used); diff != "" {
				t.Errorf("names used (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompileNilUse(t *testing.T) {
	got, err := CompileString("{id}", map[string]bool{"id": true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Template(Input{Name: "id"}), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{nil, ""},
		{"a b", "a b"},
		{499.0, "499"},
		{4.99, "4.99"},
		{1e21, "1000000000000000000000"},
		{true, "true"},
		{7, "7"},
		{int64(-8), "-8"},
		{json.Number("1.50"), "1.50"},
		{[]any{"a", 1.0}, `["a",1]`},
		{map[string]any{"k": nil}, `{"k":null}`},
		{[]string{"x"}, `["x"]`},
		{[]any{math.NaN()}, "[NaN]"}, // JSON cannot say NaN: fmt's words instead
	}
	for _, tt := range tests {
		if got := Format(tt.in); got != tt.want {
			t.Errorf("Format(%#v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
