package connectors

import (
	"encoding/json"
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   any
	}{
		{"string", "AB123456"},
		{"unicode", "订单已发货"},
		{"empty string", ""},
		{"integer", 499.0},
		{"fraction", 1280.5},
		{"negative", -0.25},
		{"large", 9007199254740993.0},
		{"tiny", 5e-324},
		{"bool", true},
		{"null", nil},
		{"empty object", map[string]any{}},
		{"empty list", []any{}},
		{"nested", map[string]any{
			"order": map[string]any{
				"id":    "AB123456",
				"total": 499.0,
				"paid":  false,
				"note":  nil,
				"lines": []any{map[string]any{"sku": "X", "qty": 2.0}, "gift", 1280.5, nil, []any{}},
			},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cv, err := ToCty(tc.in)
			if err != nil {
				t.Fatalf("ToCty: %v", err)
			}
			got, err := FromCty(cv)
			if err != nil {
				t.Fatalf("FromCty: %v", err)
			}
			if diff := cmp.Diff(tc.in, got); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestToCty(t *testing.T) {
	when := time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	str := "p"
	var nilPtr *string
	tests := []struct {
		name string
		in   any
		want cty.Value
	}{
		{"int", 499, cty.NumberIntVal(499)},
		{"uint64", uint64(math.MaxUint64), cty.NumberUIntVal(math.MaxUint64)},
		{"float32", float32(0.5), cty.NumberFloatVal(0.5)},
		{"json number", json.Number("1280.50"), cty.MustParseNumberVal("1280.5")},
		{"time", when, cty.StringVal("2026-11-23T10:00:00+08:00")},
		{"object keys are attributes", map[string]any{"b": 1.0, "a": "x"}, cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x"), "b": cty.NumberIntVal(1)})},
		{"list is a tuple", []any{"x", 1.0}, cty.TupleVal([]cty.Value{cty.StringVal("x"), cty.NumberIntVal(1)})},
		{"typed slice", []string{"a", "b"}, cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})},
		{"typed map", map[string]int{"n": 2}, cty.ObjectVal(map[string]cty.Value{"n": cty.NumberIntVal(2)})},
		{"pointer", &str, cty.StringVal("p")},
		{"nil pointer", nilPtr, cty.NullVal(cty.DynamicPseudoType)},
		{"invalid utf-8", "a\xffb", cty.StringVal("a\uFFFDb")},
		{"cty value", cty.True, cty.True},
		{"zero cty value", cty.NilVal, cty.NullVal(cty.DynamicPseudoType)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ToCty(tc.in)
			if err != nil {
				t.Fatalf("ToCty: %v", err)
			}
			if !got.RawEquals(tc.want) {
				t.Errorf("ToCty(%#v) = %#v, want %#v", tc.in, got, tc.want)
			}
		})
	}
}

func TestToCtyErrors(t *testing.T) {
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"NaN", math.NaN(), "not finite"},
		{"infinity in a list", []any{1.0, math.Inf(1)}, "at [1]: number +Inf is not finite"},
		{"bad json number", json.Number("12x"), `json number "12x"`},
		{"channel", map[string]any{"c": make(chan int)}, "at c: unsupported type chan int"},
		{"struct", struct{}{}, "unsupported type struct {}"},
		{"int map keys", map[int]string{1: "a"}, "map key type int is not a string"},
		{"cyclic map", cyclic, "nested more than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ToCty(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ToCty error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestFromCty(t *testing.T) {
	precise, _, err := big.ParseFloat("0.1", 10, 512, big.ToNearestEven)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   cty.Value
		want any
	}{
		{"zero value", cty.NilVal, nil},
		{"typed null", cty.NullVal(cty.String), nil},
		{"512-bit number rounds", cty.NumberVal(precise), 0.1},
		{"hcl integer", cty.MustParseNumberVal("499"), 499.0},
		{"list", cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}), []any{"a", "b"}},
		{"set", cty.SetVal([]cty.Value{cty.NumberIntVal(2), cty.NumberIntVal(1)}), []any{1.0, 2.0}},
		{"map", cty.MapVal(map[string]cty.Value{"k": cty.True}), map[string]any{"k": true}},
		{"empty list", cty.ListValEmpty(cty.String), []any{}},
		{"marked", cty.StringVal("secret").Mark("sensitive"), "secret"},
		{"null inside object", cty.ObjectVal(map[string]cty.Value{"n": cty.NullVal(cty.Number)}), map[string]any{"n": nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FromCty(tc.in)
			if err != nil {
				t.Fatalf("FromCty: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("FromCty mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFromCtyErrors(t *testing.T) {
	huge := new(big.Float).SetMantExp(big.NewFloat(1), 5000)
	tests := []struct {
		name string
		in   cty.Value
		want string
	}{
		{"unknown", cty.ObjectVal(map[string]cty.Value{"a": cty.UnknownVal(cty.String)}), "at a: value is not known"},
		{"infinity", cty.PositiveInfinity, "infinite"},
		{"out of float64 range", cty.TupleVal([]cty.Value{cty.NumberVal(huge)}), "at [0]: number"},
		{"capsule", cty.CapsuleVal(cty.Capsule("thing", reflect.TypeFor[struct{}]()), &struct{}{}), "cannot convert"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromCty(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("FromCty error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestFromCtyFresh checks results do not share maps, so callers may change them.
func TestFromCtyFresh(t *testing.T) {
	v := cty.ObjectVal(map[string]cty.Value{"o": cty.ObjectVal(map[string]cty.Value{"k": cty.StringVal("v")})})
	first, _ := FromCty(v)
	first.(map[string]any)["o"].(map[string]any)["k"] = "changed"
	second, _ := FromCty(v)
	if diff := cmp.Diff(map[string]any{"o": map[string]any{"k": "v"}}, second); diff != "" {
		t.Errorf("second conversion changed (-want +got):\n%s", diff)
	}
}

func BenchmarkFromCty(b *testing.B) {
	v, err := ToCty(map[string]any{"status": "shipped", "carrier": "SF Express", "total": 320.0, "lines": []any{map[string]any{"sku": "X"}}})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := FromCty(v); err != nil {
			b.Fatal(err)
		}
	}
}
