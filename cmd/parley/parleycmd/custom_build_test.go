package parleycmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestCustomBuild builds parley with a connector type of its own the way
// docs/connectors.md tells developers to: a module whose main.go is the guide's
// (copied verbatim), a package registering the type from init, and
// `go build`. The binary must know the new type and still every built-in one.
// It compiles a whole parley, so -short leaves it out; make test runs it.
func TestCustomBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a parley binary; run without -short")
	}
	repo, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	guide, err := os.ReadFile(filepath.Join(repo, "docs", "connectors.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := customMainBlock.FindSubmatch(guide)
	if m == nil {
		t.Fatal("docs/connectors.md has no ```go block (the custom build's main.go) between <!-- custom-build:begin --> and <!-- custom-build:end -->")
	}
	repoMod, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go \S+$`).Find(repoMod)
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}

	mod := t.TempDir()
	writeFiles(t, mod, map[string]string{
		"go.mod": "module example.com/acme/parley-connectors\n\n" + string(goLine) + "\n\n" +
			"require github.com/parleyhq/parley v0.0.0\n\n" +
			"replace github.com/parleyhq/parley => " + strconv.Quote(repo) + "\n",
		// Parley's go.sum covers every module it brings in, so the build
		// needs nothing beyond the module cache.
		"go.sum":               string(sum),
		"cmd/parley/main.go":   string(m[1]),
		"loyalty/loyalty.go":   loyaltySource,
		"bot/bot.hcl":          customBuildBot,
		"bot/tests/points.hcl": customBuildTests,
	})

	bin := filepath.Join(t.TempDir(), "parley")
	build := exec.Command("go", "build", "-o", bin, "./cmd/parley")
	build.Dir = mod
	// -mod=mod lets go build record the requirements that main.go and the
	// connector bring in, as `go mod tidy` would for a developer.
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/parley in a module of its own: %v\n%s", err, out)
	}

	bot := filepath.Join(mod, "bot")
	for _, args := range [][]string{{"validate", bot}, {"test", "-live", bot}} {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("custom parley %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		if args[0] == "validate" && !strings.Contains(string(out), `valid bot "loyalty"`) {
			t.Errorf("custom parley validate printed\n%s\nwant a valid bot \"loyalty\"", out)
		}
	}

	// With no -ldflags, the version is the Parley module go.mod requires.
	out, err := exec.Command(bin, "version").CombinedOutput()
	if want := "parley v0.0.0 (replaced by " + repo + ")\n"; err != nil || string(out) != want {
		t.Errorf("custom parley version: %v, %q; want %q", err, out, want)
	}

	// The stock command, run in process here, does not know the type: the
	// binary above knows it because of the blank import in its main.go.
	code, _, stderr := runCmd(t, "", "validate", "-no-color", bot)
	if code != 1 || !strings.Contains(stderr, "Unknown connector type") {
		t.Errorf("stock parley validate: exit %d, stderr\n%s\nwant exit 1 and Unknown connector type", code, stderr)
	}
}

// customMainBlock is the main.go the guide shows for a custom build.
var customMainBlock = regexp.MustCompile("(?s)<!-- custom-build:begin -->\n```go\n(.*?)```\n<!-- custom-build:end -->")

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// loyaltySource is a connector type as a developer would write one (the
// guide's full example is connectors/example_test.go): it registers itself
// from init and declares its operations, so validate type-checks calls to it.
const loyaltySource = `// Package loyalty is the "loyalty" connector type.
package loyalty

import (
	"context"
	"fmt"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
)

func init() { connectors.Register("loyalty", Driver{}) }

type Driver struct{}

func (Driver) Spec() connectors.Spec {
	return connectors.Spec{Connector: hcldec.ObjectSpec{
		"base_url": &hcldec.AttrSpec{Name: "base_url", Type: cty.String, Required: true},
	}}
}

func (Driver) Operations(connectors.Config) ([]connectors.Operation, error) {
	return []connectors.Operation{{
		Name:   "points",
		Inputs: []connectors.Param{{Name: "customer_id", Type: cty.String}},
		Output: cty.Object(map[string]cty.Type{"points": cty.Number, "tier": cty.String}),
	}}, nil
}

func (Driver) Open(connectors.Config) (connectors.Connector, error) { return crm{}, nil }

type crm struct{}

func (crm) Call(ctx context.Context, req connectors.Request) (connectors.Response, error) {
	if req.Operation != "points" {
		return connectors.Response{}, fmt.Errorf("loyalty: %q: %w", req.Operation, connectors.ErrUnknownOp)
	}
	return connectors.Response{Data: map[string]any{"points": 1200.0, "tier": "gold"}}, nil
}
`

// customBuildBot uses the new type and a built-in one.
const customBuildBot = `bot "loyalty" {
  languages = ["en"]
}

intent "points" {
  examples = ["how many points do I have", "my points balance", "loyalty points", "points please", "what is my tier"]
}

intent "track" {
  examples = ["where is my order", "track my order", "order status", "has it shipped", "track my parcel"]
}

connector "crm" {
  type     = "loyalty"
  base_url = "https://crm.internal"
}

connector "orders" {
  type = "fixture"
  data = { orders = { AB123456 = { status = "shipped" } } }

  operation "get_order" {
    input  = { order_id = string }
    output = { status = string }
    lookup = "orders"
  }
}

dialog "points" {
  trigger = [intent.points]

  call "points" {
    operation = connector.crm.points
    input     = { customer_id = "C1" }

    on_error {
      reply = "The loyalty system is down."
    }
  }

  outcome "told" {
    reply = "You have ${call.points.points} points (${call.points.tier})."
  }
}

dialog "track" {
  trigger = [intent.track]

  call "order" {
    operation = connector.orders.get_order
    input     = { order_id = "AB123456" }

    on_error {
      reply = "The order system is down."
    }
  }

  outcome "found" {
    reply = "Your order is ${call.order.status}."
  }
}
`

// customBuildTests runs the new type's Call for real (live: the test mocks
// nothing), through the engine in the custom binary.
const customBuildTests = `test "points" {
  turn {
    user     = "how many points do I have"
    intent   = intent.points
    calls    = [connector.crm.points]
    reply    = "You have 1200 points (gold)."
  }
}
`
