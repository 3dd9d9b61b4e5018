package driverkit

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestAttr(t *testing.T) {
	const secret = "secret"
	tests := []struct {
		name     string
		settings cty.Value
		want     cty.Value
	}{
		{name: "zero value", settings: cty.Value{}, want: cty.NullVal(cty.DynamicPseudoType)},
		{name: "null", settings: cty.NullVal(cty.DynamicPseudoType), want: cty.NullVal(cty.DynamicPseudoType)},
		{name: "unknown", settings: cty.UnknownVal(cty.EmptyObject), want: cty.NullVal(cty.DynamicPseudoType)},
		{name: "object with it", settings: cty.ObjectVal(map[string]cty.Value{"path": cty.StringVal("/x")}), want: cty.StringVal("/x")},
		{name: "object without it", settings: cty.ObjectVal(map[string]cty.Value{"other": cty.True}), want: cty.NullVal(cty.DynamicPseudoType)},
		{name: "map with it", settings: cty.MapVal(map[string]cty.Value{"path": cty.StringVal("/y")}), want: cty.StringVal("/y")},
		{name: "map without it", settings: cty.MapVal(map[string]cty.Value{"other": cty.StringVal("z")}), want: cty.NullVal(cty.DynamicPseudoType)},
		{name: "marked map", settings: cty.MapVal(map[string]cty.Value{"path": cty.StringVal("/m")}).Mark(secret), want: cty.StringVal("/m")},
		{name: "marked attribute keeps its mark", settings: cty.ObjectVal(map[string]cty.Value{"path": cty.StringVal("/k").Mark(secret)}),
			want: cty.StringVal("/k").Mark(secret)},
		{name: "not a collection", settings: cty.StringVal("path"), want: cty.NullVal(cty.DynamicPseudoType)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Attr(tt.settings, "path")
			if !got.RawEquals(tt.want) {
				t.Errorf("Attr = %#v, want %#v", got, tt.want)
			}
		})
	}
}
