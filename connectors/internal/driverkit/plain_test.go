package driverkit

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{nil, "null"},
		{"s", "a string"},
		{1.5, "a number"},
		{false, "a bool"},
		{[]any{}, "a list"},
		{map[string]any{}, "an object"},
		{3, "int"},
		{[]string{}, "[]string"},
	}
	for _, tt := range tests {
		if got := Describe(tt.in); got != tt.want {
			t.Errorf("Describe(%#v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDeepCopy(t *testing.T) {
	tests := []struct {
		name string
		in   any
	}{
		{name: "scalar", in: "x"},
		{name: "null", in: nil},
		{name: "list", in: []any{1.0, []any{"a"}, map[string]any{"k": true}}},
		{name: "object", in: map[string]any{"a": map[string]any{"b": []any{nil}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DeepCopy(tt.in)
			if diff := cmp.Diff(tt.in, got); diff != "" {
				t.Fatalf("DeepCopy (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeepCopyShares(t *testing.T) {
	orig := map[string]any{"a": map[string]any{"b": []any{1.0}}}
	cp := DeepCopy(orig).(map[string]any)
	cp["a"].(map[string]any)["b"].([]any)[0] = 2.0
	cp["a"].(map[string]any)["c"] = "new"
	want := map[string]any{"a": map[string]any{"b": []any{1.0}}}
	if diff := cmp.Diff(want, orig); diff != "" {
		t.Errorf("the original changed with its copy (-want +got):\n%s", diff)
	}
}

func TestListOrNone(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, "none"},
		{[]string{}, "none"},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a, b"},
	}
	for _, tt := range tests {
		if got := ListOrNone(tt.in); got != tt.want {
			t.Errorf("ListOrNone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
