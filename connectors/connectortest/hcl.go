package connectortest

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/policies"
)

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
// driver's spec reports mistakes in a bot. It decodes with the bot loader itself.
func DecodeHCL(d connectors.Driver, src string) (connectors.Config, hcl.Diagnostics) {
	c, diags := policies.DecodeConnector([]byte(src), "connector.hcl", oneType{d})
	if c == nil || diags.HasErrors() {
		return connectors.Config{}, diags
	}
	return ConfigOf(c), diags
}

// ConfigOf is the Config the engine opens for a decoded connector block.
func ConfigOf(c *policies.Connector) connectors.Config {
	cfg := connectors.Config{Name: c.Name, Settings: c.Settings, Timeout: c.Timeout, Operations: map[string]connectors.OperationConfig{}}
	for name, op := range c.Operations {
		params := make([]connectors.Param, len(op.Inputs))
		for i, p := range op.Inputs {
			params[i] = connectors.Param{Name: p.Name, Type: p.Type, Optional: p.Optional}
		}
		cfg.Operations[name] = connectors.OperationConfig{
			Description: op.Description, Inputs: params, Output: op.Output,
			Idempotent: op.Idempotent, Settings: op.Settings,
		}
	}
	return cfg
}

// oneType offers a single driver to the loader under whatever type name the block uses.
type oneType struct{ d connectors.Driver }

func (o oneType) Lookup(string) (hcldec.Spec, hcldec.Spec, bool) {
	s := o.d.Spec()
	return s.Connector, s.Operation, true
}

func (o oneType) Names() []string { return nil }
