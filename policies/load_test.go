package policies

import (
	"testing"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
)

// fixtureTypes stands in for the connectors registry with the shapes the real
// fixture and http connectors declare, so these tests do not import connectors.
type fixtureTypes struct{}

func (fixtureTypes) Lookup(typ string) (hcldec.Spec, hcldec.Spec, bool) {
	switch typ {
	case "fixture":
		return hcldec.ObjectSpec{
				"data": &hcldec.AttrSpec{Name: "data", Type: cty.DynamicPseudoType},
			}, hcldec.ObjectSpec{
				"lookup":  &hcldec.AttrSpec{Name: "lookup", Type: cty.String},
				"respond": &hcldec.AttrSpec{Name: "respond", Type: cty.DynamicPseudoType},
			}, true
	case "http":
		return hcldec.ObjectSpec{
				"base_url":     &hcldec.AttrSpec{Name: "base_url", Type: cty.String, Required: true},
				"base_url_env": &hcldec.AttrSpec{Name: "base_url_env", Type: cty.String},
			}, hcldec.ObjectSpec{
				"method":    &hcldec.AttrSpec{Name: "method", Type: cty.String},
				"path":      &hcldec.AttrSpec{Name: "path", Type: cty.String, Required: true},
				"query":     &hcldec.AttrSpec{Name: "query", Type: cty.Map(cty.String)},
				"body":      &hcldec.AttrSpec{Name: "body", Type: cty.DynamicPseudoType},
				"result":    &hcldec.AttrSpec{Name: "result", Type: cty.Map(cty.String)},
				"not_found": &hcldec.AttrSpec{Name: "not_found", Type: cty.List(cty.Number)},
				"rejected":  &hcldec.AttrSpec{Name: "rejected", Type: cty.List(cty.Number)},
			}, true
	case "plain":
		return nil, nil, true
	}
	return nil, nil, false
}

func (fixtureTypes) Names() []string { return []string{"fixture", "http", "plain"} }

var testOptions = Options{Connectors: fixtureTypes{}}

func TestLoadShopExample(t *testing.T) {
	bot, diags := LoadDir("../examples/shop", testOptions)
	for _, d := range diags {
		t.Logf("%s", d)
	}
	if diags.HasErrors() {
		t.Fatalf("the shop example has errors")
	}
	if bot == nil {
		t.Fatal("nil bot")
	}
}
