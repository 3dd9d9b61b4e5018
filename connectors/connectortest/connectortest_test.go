package connectortest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/connectors/connectortest"
	"github.com/parleyhq/parley/connectors/fixture"
)

// The suite is tested against real fixture connectors with one fault each: a suite
// that passes a broken connector is worse than none.

func config() connectors.Config {
	return connectors.Config{
		Name: "orders",
		Settings: cty.ObjectVal(map[string]cty.Value{"data": cty.ObjectVal(map[string]cty.Value{
			"orders": cty.ObjectVal(map[string]cty.Value{
				"A1": cty.ObjectVal(map[string]cty.Value{
					"status": cty.StringVal("shipped"),
					"lines":  cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"sku": cty.StringVal("X")})}),
				}),
			}),
		})}),
		Operations: map[string]connectors.OperationConfig{
			"get_order": {Inputs: connectors.Params("order_id"), Settings: cty.ObjectVal(map[string]cty.Value{"lookup": cty.StringVal("orders")})},
		},
	}
}

var cases = connectortest.Cases{
	{Operation: "get_order", Input: map[string]any{"order_id": "A1"}, Want: map[string]any{"status": "shipped", "lines": []any{map[string]any{"sku": "X"}}}},
	{Operation: "get_order", Input: map[string]any{"order_id": "B2"}, WantErr: connectors.ErrNotFound},
}

// driver wraps the fixture driver, changing its spec or its connector.
type driver struct {
	spec func(connectors.Spec) connectors.Spec
	wrap func(connectors.Connector) connectors.Connector
}

func (d driver) Spec() connectors.Spec {
	s := fixture.Driver{}.Spec()
	if d.spec != nil {
		s = d.spec(s)
	}
	return s
}

func (d driver) Open(cfg connectors.Config) (connectors.Connector, error) {
	c, err := fixture.Driver{}.Open(cfg)
	if err != nil || d.wrap == nil {
		return c, err
	}
	return d.wrap(c), nil
}

// callFunc adapts a function to connectors.Connector.
type callFunc func(ctx context.Context, req connectors.Request) (connectors.Response, error)

func (f callFunc) Call(ctx context.Context, req connectors.Request) (connectors.Response, error) {
	return f(ctx, req)
}

// closer is a connector with a Close that may be called once or many times.
type closer struct {
	connectors.Connector
	mu         sync.Mutex
	closed     bool
	idempotent bool
}

func (c *closer) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed && !c.idempotent {
		return errors.New("already closed")
	}
	c.closed = true
	return nil
}

func (c *closer) Health(ctx context.Context) error { return ctx.Err() }

var broken = map[string]struct {
	driver driver
	want   string
}{
	"shared result": {
		driver: driver{wrap: func(c connectors.Connector) connectors.Connector {
			var once sync.Once
			var shared map[string]any
			return callFunc(func(ctx context.Context, req connectors.Request) (connectors.Response, error) {
				resp, err := c.Call(ctx, req)
				if err != nil {
					return resp, err
				}
				once.Do(func() { shared = resp.Data })
				return connectors.Response{Data: shared}, nil
			})
		}},
		want: "results must be fresh",
	},
	"ignores context": {
		driver: driver{wrap: func(c connectors.Connector) connectors.Connector {
			return callFunc(func(_ context.Context, req connectors.Request) (connectors.Response, error) {
				return c.Call(context.Background(), req)
			})
		}},
		want: "with a done context: error = <nil>",
	},
	"non-plain result": {
		driver: driver{wrap: func(c connectors.Connector) connectors.Connector {
			return callFunc(func(ctx context.Context, req connectors.Request) (connectors.Response, error) {
				resp, err := c.Call(ctx, req)
				if err == nil {
					resp.Data["count"] = 3
				}
				return resp, err
			})
		}},
		want: "int is not a plain JSON type",
	},
	"bare unknown operation error": {
		driver: driver{wrap: func(c connectors.Connector) connectors.Connector {
			return callFunc(func(ctx context.Context, req connectors.Request) (connectors.Response, error) {
				if req.Operation != "get_order" {
					return connectors.Response{}, errors.New("no such operation")
				}
				return c.Call(ctx, req)
			})
		}},
		want: "want one wrapping connectors.ErrUnknownOp",
	},
	"panics on nil input": {
		driver: driver{wrap: func(c connectors.Connector) connectors.Connector {
			return callFunc(func(ctx context.Context, req connectors.Request) (connectors.Response, error) {
				_ = req.Input["order_id"].(string)
				return c.Call(ctx, req)
			})
		}},
		want: "panicked",
	},
	"close not idempotent": {
		driver: driver{wrap: func(c connectors.Connector) connectors.Connector { return &closer{Connector: c} }},
		want:   "Close must be idempotent",
	},
	"reserved setting name": {
		driver: driver{spec: func(s connectors.Spec) connectors.Spec {
			s.Operation.(hcldec.ObjectSpec)["input"] = &hcldec.AttrSpec{Name: "input", Type: cty.String}
			return s
		}},
		want: `declares "input", which the loader reads itself`,
	},
	"malformed spec": {
		driver: driver{spec: func(s connectors.Spec) connectors.Spec {
			s.Connector = hcldec.ObjectSpec{"data": nil}
			return s
		}},
		want: "spec is malformed",
	},
}

// brokenWrites are faults of writes, run with noteCases.
var brokenWrites = map[string]struct {
	driver connectors.Driver
	want   string
}{
	"retried write ignores its idempotency key": {
		driver: notesDriver(false),
		want:   "the same IdempotencyKey gave another result",
	},
	"result lacks a declared output field": {
		driver: notesDriver(true, cty.Object(map[string]cty.Type{"note_id": cty.String, "created_at": cty.String})),
		want:   `declares output field "created_at", but the result has no such field`,
	},
	"result field not declared": {
		driver: notesDriver(true, cty.Object(map[string]cty.Type{"id": cty.String})),
		want:   `result has field "note_id", which operation "add_note" does not declare`,
	},
	"result field of the wrong type": {
		driver: notesDriver(true, cty.Object(map[string]cty.Type{"note_id": cty.Number})),
		want:   "does not fit the declared output",
	},
}

// TestBrokenConnector runs the suite on one broken driver, in a child process
// started by TestExerciseCatchesFaults, whose failure is the expected outcome.
func TestBrokenConnector(t *testing.T) {
	name := os.Getenv("CONNECTORTEST_BROKEN")
	if name == "" {
		t.Skip("run by TestExerciseCatchesFaults")
	}
	if w, ok := brokenWrites[name]; ok {
		connectortest.Exercise(t, w.driver, config(), noteCases)
		return
	}
	connectortest.Exercise(t, broken[name].driver, config(), cases)
}

func TestExerciseCatchesFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process per fault")
	}
	faults := map[string]string{}
	for name, tc := range broken {
		faults[name] = tc.want
	}
	for name, tc := range brokenWrites {
		faults[name] = tc.want
	}
	for name, want := range faults {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenConnector$", "-test.v")
			cmd.Env = append(os.Environ(), "CONNECTORTEST_BROKEN="+name)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("suite passed a connector with fault %q; output:\n%s", name, out)
			}
			if !strings.Contains(string(out), want) {
				t.Errorf("suite failed, but without %q; output:\n%s", want, out)
			}
		})
	}
}

func TestExerciseWithOptionalCapabilities(t *testing.T) {
	d := driver{wrap: func(c connectors.Connector) connectors.Connector {
		return &closer{Connector: c, idempotent: true}
	}}
	connectortest.Exercise(t, d, config(), cases)
}

// notes is a write that creates a note per request and answers a repeated
// idempotency key with the first note, as a CRM's POST with Idempotency-Key
// does. honourKeys false makes it ignore the key while claiming it is safe to
// retry: the fault the suite must catch.
type notes struct {
	mu         sync.Mutex
	next       int
	byKey      map[string]string
	honourKeys bool
}

func (n *notes) Call(ctx context.Context, req connectors.Request) (connectors.Response, error) {
	if err := ctx.Err(); err != nil {
		return connectors.Response{}, err
	}
	if req.Operation != "add_note" {
		return connectors.Response{}, connectors.ErrUnknownOp
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if id, ok := n.byKey[req.IdempotencyKey]; ok && n.honourKeys {
		return connectors.Response{Data: map[string]any{"note_id": id}}, nil
	}
	n.next++
	id := fmt.Sprintf("N%d", n.next)
	if req.IdempotencyKey != "" {
		n.byKey[req.IdempotencyKey] = id
	}
	return connectors.Response{Data: map[string]any{"note_id": id}}, nil
}

func (n *notes) Idempotent(string) bool { return true }

// notesDeclarer declares add_note's signature in Go, as a CRM connector type
// does; output is what it says the result holds.
type notesDeclarer struct {
	driver
	output cty.Type
}

func (d notesDeclarer) Operations(connectors.Config) ([]connectors.Operation, error) {
	return []connectors.Operation{{Name: "add_note", Inputs: connectors.Params("case_id", "note"), Output: d.output}}, nil
}

// notesDriver opens a notes connector; declared, when given, makes the driver a
// Declarer with that output.
func notesDriver(honourKeys bool, declared ...cty.Type) connectors.Driver {
	d := driver{wrap: func(connectors.Connector) connectors.Connector {
		return &notes{byKey: map[string]string{}, honourKeys: honourKeys}
	}}
	if len(declared) > 0 {
		return notesDeclarer{driver: d, output: declared[0]}
	}
	return d
}

var noteCases = connectortest.Cases{{Operation: "add_note", Input: map[string]any{"case_id": "K1", "note": "call back"}}}

// A write that creates something answers each new request differently; the
// suite must not mistake that for a shared result.
func TestExerciseWithAWriteThatCreates(t *testing.T) {
	connectortest.Exercise(t, notesDriver(true), config(), noteCases)
}

func TestExerciseWithDeclaredOperations(t *testing.T) {
	connectortest.Exercise(t, notesDriver(true, cty.Object(map[string]cty.Type{"note_id": cty.String})), config(), noteCases)
}
