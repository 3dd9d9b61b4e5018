package bind_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/engine"
)

// crmDriver declares its operations in Go, as a CRM connector type does.
type crmDriver struct{}

func (crmDriver) Spec() connectors.Spec {
	return connectors.Spec{Connector: hcldec.ObjectSpec{
		"base_url":    &hcldec.AttrSpec{Name: "base_url", Type: cty.String, Required: true},
		"api_key_env": &hcldec.AttrSpec{Name: "api_key_env", Type: cty.String, Required: true},
	}}
}

func (crmDriver) Operations(connectors.Config) ([]connectors.Operation, error) {
	return []connectors.Operation{{
		Name:   "open_cases",
		Inputs: []connectors.Param{{Name: "customer_id", Type: cty.String}},
		Output: cty.Object(map[string]cty.Type{"count": cty.Number}),
	}}, nil
}

func (crmDriver) Open(connectors.Config) (connectors.Connector, error) { return nil, nil }

const crmBot = `
bot "crm" {
  languages = ["en"]
}

intent "cases" {
  examples = ["what are my open cases", "show my cases", "list my support cases"]
}

dialog "cases" {
  trigger = [intent.cases]

  slot "customer_id" {
    type   = text
    prompt = "Your customer number?"
  }

  call "cases" {
    operation = connector.crm.open_cases
    input     = { customer_id = slot.customer_id }
  }

  outcome "listed" {
    reply = "You have ${call.cases.count} open cases."
  }
}
`

// A mistake in the settings of a connector whose type declares its operations
// is reported once, where it is: the calls to its operations are not also
// "Unknown operation", which would send the reader to the wrong place.
func TestSettingsMistakeDoesNotCascadeToCalls(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"bot.hcl": crmBot,
		"connectors.hcl": `
connector "crm" {
  type     = "acmecrm"
  base_url = "http://127.0.0.1:1"
}
`,
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reg := connectors.NewRegistry()
	reg.Register("acmecrm", crmDriver{})
	_, diags := engine.Load(dir, reg)
	var summaries []string
	for _, d := range diags.Errs() {
		summaries = append(summaries, d.Error())
	}
	got := strings.Join(summaries, "\n")
	if !strings.Contains(got, `The argument "api_key_env" is required`) {
		t.Errorf("the missing setting is not reported:\n%s", got)
	}
	if strings.Contains(got, "Unknown operation") || len(summaries) != 1 {
		t.Errorf("want only the missing setting, got %d errors:\n%s", len(summaries), got)
	}
}
