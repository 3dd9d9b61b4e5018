package connectortest

import (
	"regexp"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/connectors/bind"
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
// driver's spec reports mistakes in a bot. It decodes with the bot loader itself,
// including operations a driver defines in Go.
func DecodeHCL(d connectors.Driver, src string) (connectors.Config, hcl.Diagnostics) {
	c, diags := policies.DecodeConnector([]byte(src), "connector.hcl", oneType(d, src))
	if c == nil || diags.HasErrors() {
		return connectors.Config{}, diags
	}
	return bind.Config(c), diags
}

// oneType offers d to the loader under the type name the block uses.
func oneType(d connectors.Driver, src string) bind.Types {
	reg := connectors.NewRegistry()
	reg.Register(typeName(src), d)
	return bind.Types{Registry: reg}
}

// typeName reads the block's type = "..." so the driver is registered under it;
// a block without one gets a name no block uses, and the loader reports it.
func typeName(src string) string {
	m := typeRE.FindStringSubmatch(src)
	if m == nil {
		return "parley_conformance_unnamed"
	}
	return m[1]
}

var typeRE = regexp.MustCompile(`(?m)^\s*type\s*=\s*"([^"]+)"`)
