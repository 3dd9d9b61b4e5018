package connectortest

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/gocty"

	"github.com/parleyhq/parley/connectors"
)

// defaultTimeout matches the policy loader's default for a connector block.
const defaultTimeout = 10 * time.Second

// ConfigFromHCL decodes one connector block, written as in a bot, into the Config
// the engine would open: Parley's own arguments (type, timeout, description,
// operation blocks with input and description) are read here and the rest is
// decoded with d's Spec, so a test's settings have the exact shape real ones do.
// Expressions may not refer to variables. Any diagnostic fails the test.
//
//	cfg := connectortest.ConfigFromHCL(t, fixture.Driver{}, `
//	connector "orders" {
//	  type = "fixture"
//	  data = { orders = { A1 = { status = "shipped" } } }
//	  operation "get_order" {
//	    input  = ["order_id"]
//	    lookup = "orders"
//	  }
//	}`)
func ConfigFromHCL(t testing.TB, d connectors.Driver, src string) connectors.Config {
	t.Helper()
	cfg, diags := DecodeHCL(d, src)
	if diags.HasErrors() {
		t.Fatalf("connector HCL: %s", diags.Error())
	}
	return cfg
}

// DecodeHCL is ConfigFromHCL returning the diagnostics, for tests of how a
// driver's spec reports mistakes in a bot.
func DecodeHCL(d connectors.Driver, src string) (connectors.Config, hcl.Diagnostics) {
	var cfg connectors.Config
	file, diags := hclsyntax.ParseConfig([]byte(src), "connector.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		return cfg, diags
	}
	content, diags := file.Body.Content(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "connector", LabelNames: []string{"name"}}}})
	if diags.HasErrors() {
		return cfg, diags
	}
	if len(content.Blocks) != 1 {
		return cfg, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Want one connector block", Detail: fmt.Sprintf("Found %d.", len(content.Blocks))}}
	}
	block := content.Blocks[0]
	spec := d.Spec()
	cfg = connectors.Config{Name: block.Labels[0], Timeout: defaultTimeout, Operations: map[string]connectors.OperationConfig{}}

	conn, remain, diags := block.Body.PartialContent(&hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "type", Required: true}, {Name: "timeout"}, {Name: "description"}},
		Blocks:     []hcl.BlockHeaderSchema{{Type: "operation", LabelNames: []string{"name"}}},
	})
	if a, ok := conn.Attributes["timeout"]; ok {
		var s string
		more := decodeInto(a.Expr, &s)
		diags = append(diags, more...)
		if !more.HasErrors() {
			timeout, err := time.ParseDuration(s)
			if err != nil || timeout <= 0 {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid timeout", Detail: fmt.Sprintf("%q is not a positive duration.", s), Subject: a.Expr.Range().Ptr()})
			}
			cfg.Timeout = timeout
		}
	}
	var more hcl.Diagnostics
	cfg.Settings, more = decodeSettings(remain, spec.Connector)
	diags = append(diags, more...)

	for _, b := range conn.Blocks {
		op, rest, more := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "input"}, {Name: "description"}}})
		diags = append(diags, more...)
		var oc connectors.OperationConfig
		if a, ok := op.Attributes["input"]; ok {
			diags = append(diags, decodeInto(a.Expr, &oc.Inputs)...)
		}
		oc.Settings, more = decodeSettings(rest, spec.Operation)
		diags = append(diags, more...)
		cfg.Operations[b.Labels[0]] = oc
	}
	return cfg, diags
}

func decodeInto(expr hcl.Expression, target any) hcl.Diagnostics {
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return diags
	}
	// A list literal is a tuple in HCL; gocty wants a list for a slice.
	if ty := v.Type(); ty.IsTupleType() && v.IsWhollyKnown() && !v.IsNull() {
		if lv, err := convert.Convert(v, cty.List(cty.String)); err == nil {
			v = lv
		}
	}
	if err := gocty.FromCtyValue(v, target); err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid value", Detail: err.Error(), Subject: expr.Range().Ptr()}}
	}
	return nil
}

// decodeSettings mirrors the loader: no spec means no settings are allowed.
func decodeSettings(body hcl.Body, spec hcldec.Spec) (cty.Value, hcl.Diagnostics) {
	if spec == nil {
		_, diags := body.Content(&hcl.BodySchema{})
		return cty.EmptyObjectVal, diags
	}
	return hcldec.Decode(body, spec, nil)
}
