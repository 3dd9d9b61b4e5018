// Package connectortest is the conformance suite every Parley connector passes,
// as database/sql drivers and River's drivers have theirs. A connector's own test
// calls Exercise with a working configuration and a few cases:
//
//	func TestConformance(t *testing.T) {
//		connectortest.Exercise(t, mydriver.Driver{}, cfg, connectortest.Cases{
//			{Operation: "get_order", Input: map[string]any{"order_id": "A1"}, Want: map[string]any{"status": "shipped"}},
//			{Operation: "get_order", Input: map[string]any{"order_id": "nope"}, WantErr: connectors.ErrNotFound},
//		})
//	}
//
// The suite checks what the engine relies on and a connector's own tests tend to
// miss: plain JSON results shaped like the declared output, fresh results,
// idempotency keys honoured, a cancelled context honoured, error
// values, concurrent use, and the optional capabilities.
package connectortest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
)

// Case is one call and what it must give. Exactly one of Want and WantErr is
// normally set; with neither, the call must only succeed.
type Case struct {
	// Name names the subtest; empty means Operation and the case's position.
	Name      string
	Operation string
	Input     map[string]any
	// Want is the whole expected result. Nil and empty maps are equal.
	Want map[string]any
	// WantErr must match the error with errors.Is, e.g. connectors.ErrNotFound,
	// and give the bot the same code (connectors.ErrorCode). A system's rate
	// limit is connectors.ErrRateLimited: the bot sees unavailable, and the
	// circuit breaker does not count it as a failure.
	WantErr error
}

// Cases are the calls Exercise makes. Give at least one case that succeeds, so the
// checks that need a real result (freshness, JSON, concurrency) have one.
type Cases []Case

const (
	// cancelGrace is how long a call with an already cancelled context may take.
	// It is not a speed target: it only separates "returns" from "waits for the network".
	cancelGrace = time.Second
	// workers and rounds size the concurrency check; with -race they find shared state.
	workers = 16
	rounds  = 4
	// unknownOp is an operation name no bot declares.
	unknownOp = "parley_conformance_no_such_operation"
)

// Exercise runs the conformance suite against driver d opened with cfg.
func Exercise(t *testing.T, d connectors.Driver, cfg connectors.Config, cases Cases) {
	t.Helper()
	cases = slices.Clone(cases) // names are filled in; the caller's slice stays as given
	for i := range cases {
		if cases[i].Name == "" {
			cases[i].Name = fmt.Sprintf("%s#%d", cases[i].Operation, i)
		}
	}
	t.Run("Spec", func(t *testing.T) { checkSpec(t, d, cfg) })
	t.Run("OpenZeroConfig", func(t *testing.T) { checkZeroConfig(t, d) })

	var conn connectors.Connector
	if !t.Run("Open", func(t *testing.T) {
		c, err := d.Open(cfg)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if c == nil {
			t.Fatal("Open returned a nil connector and no error")
		}
		conn = c
	}) {
		return
	}

	t.Run("Cases", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.Name, func(t *testing.T) {
				resp, err := call(t, conn, context.Background(), tc, "")
				checkResult(t, tc, resp, err)
			})
		}
	})
	t.Run("UnknownOperation", func(t *testing.T) {
		_, err := call(t, conn, context.Background(), Case{Operation: unknownOp}, "")
		if !errors.Is(err, connectors.ErrUnknownOp) {
			t.Errorf("Call(%q) error = %v, want one wrapping connectors.ErrUnknownOp", unknownOp, err)
		}
		if got := connectors.ErrorCode(err); got != "unknown_operation" {
			t.Errorf("ErrorCode = %q, want unknown_operation", got)
		}
	})
	t.Run("CancelledContext", func(t *testing.T) { checkCancelled(t, conn, cases) })
	t.Run("NilInput", func(t *testing.T) { checkNilInput(t, conn, cases) })
	t.Run("PlainJSONResults", func(t *testing.T) {
		for _, tc := range successes(t, cases) {
			t.Run(tc.Name, func(t *testing.T) {
				resp, err := call(t, conn, context.Background(), tc, "")
				if err != nil {
					t.Fatalf("Call: %v", err)
				}
				checkPlain(t, resp.Data)
			})
		}
	})
	t.Run("DeclaredOutput", func(t *testing.T) { checkDeclaredOutput(t, d, cfg, conn, cases) })
	t.Run("IdempotencyKey", func(t *testing.T) {
		for i, tc := range successes(t, cases) {
			t.Run(tc.Name, func(t *testing.T) { checkIdempotencyKey(t, conn, tc, fmt.Sprintf("connectortest-%d", i)) })
		}
	})
	t.Run("FreshResults", func(t *testing.T) {
		for _, tc := range successes(t, cases) {
			t.Run(tc.Name, func(t *testing.T) { checkFresh(t, conn, tc) })
		}
	})
	t.Run("Concurrent", func(t *testing.T) { checkConcurrent(t, conn, cases) })
	t.Run("Health", func(t *testing.T) {
		hc, ok := conn.(connectors.HealthChecker)
		if !ok {
			t.Skip("connector does not implement connectors.HealthChecker")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := hc.Health(ctx); err != nil {
			t.Errorf("Health with a working config: %v", err)
		}
	})
	// Close goes last: the connector is not used after it.
	t.Run("Close", func(t *testing.T) {
		cl, ok := conn.(connectors.Closer)
		if !ok {
			t.Skip("connector does not implement connectors.Closer")
		}
		if err := cl.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if err := cl.Close(); err != nil {
			t.Errorf("second Close: %v (Close must be idempotent)", err)
		}
	})
}

// call runs one case and reports a panic as a test failure.
func call(t *testing.T, conn connectors.Connector, ctx context.Context, tc Case, key string) (connectors.Response, error) {
	t.Helper()
	resp, err := invoke(ctx, conn, tc, key)
	var p *panicError
	if errors.As(err, &p) {
		t.Errorf("Call(%q) panicked: %v", tc.Operation, p.value)
	}
	return resp, err
}

// invoke turns a panic into an error, so one bad connector does not take down the
// whole test binary. It does not touch t, so it is safe in a goroutine that may
// outlive the test.
func invoke(ctx context.Context, conn connectors.Connector, tc Case, key string) (resp connectors.Response, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{value: r}
		}
	}()
	return conn.Call(ctx, connectors.Request{Operation: tc.Operation, Input: copyInput(tc.Input), IdempotencyKey: key})
}

type panicError struct{ value any }

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }

func checkResult(t *testing.T, tc Case, resp connectors.Response, err error) {
	t.Helper()
	if tc.WantErr != nil {
		if !errors.Is(err, tc.WantErr) {
			t.Errorf("Call(%q) error = %v, want one wrapping %v", tc.Operation, err, tc.WantErr)
		} else if got, want := connectors.ErrorCode(err), connectors.ErrorCode(tc.WantErr); got != want {
			t.Errorf("Call(%q) error = %v: the bot sees %s, want %s", tc.Operation, err, got, want)
		}
		return
	}
	if err != nil {
		t.Errorf("Call(%q): %v", tc.Operation, err)
		return
	}
	if tc.Want != nil {
		if diff := cmp.Diff(tc.Want, resp.Data, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Call(%q) result mismatch (-want +got):\n%s", tc.Operation, diff)
		}
	}
}

// checkSpec checks both specs give a schema without panicking, keep clear of the
// names the loader itself reads, and describe every setting the test's cfg uses.
func checkSpec(t *testing.T, d connectors.Driver, cfg connectors.Config) {
	spec := d.Spec()
	checkOne := func(what string, s hcldec.Spec, reserved []string, settings []cty.Value) {
		t.Helper()
		if s == nil {
			for _, v := range settings {
				if names := attrNames(v); len(names) > 0 {
					t.Errorf("%s spec is nil but cfg has settings %v", what, names)
				}
			}
			return
		}
		schema, ty, ok := implied(t, s)
		if !ok {
			return
		}
		declared := map[string]bool{}
		for _, a := range schema.Attributes {
			declared[a.Name] = true
		}
		for _, b := range schema.Blocks {
			declared[b.Type] = true
		}
		for _, r := range reserved {
			if declared[r] {
				t.Errorf("%s spec declares %q, which the loader reads itself", what, r)
			}
		}
		if ty == cty.NilType {
			t.Errorf("%s spec has no implied type", what)
		}
		for _, v := range settings {
			for _, n := range attrNames(v) {
				if !declared[n] {
					t.Errorf("cfg %s settings have %q, which the spec does not declare; the loader would never produce it", what, n)
				}
			}
		}
	}
	checkOne("connector", spec.Connector, []string{"type", "timeout", "description", "operation"}, []cty.Value{cfg.Settings})
	var opSettings []cty.Value
	for _, oc := range cfg.Operations {
		opSettings = append(opSettings, oc.Settings)
	}
	checkOne("operation", spec.Operation, []string{"input", "description"}, opSettings)
}

// implied recovers from a malformed spec (say a nil element in an ObjectSpec),
// which hcldec reports by panicking.
func implied(t *testing.T, s hcldec.Spec) (schema *hcl.BodySchema, ty cty.Type, ok bool) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("spec is malformed: %v", r)
			ok = false
		}
	}()
	return hcldec.ImpliedSchema(s), hcldec.ImpliedType(s), true
}

func attrNames(v cty.Value) []string {
	if v.Type() == cty.NilType || v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() {
		return nil
	}
	var names []string
	for n := range v.Type().AttributeTypes() {
		names = append(names, n)
	}
	return names
}

// checkZeroConfig opens with nothing set: a bot may declare a connector with no
// settings, and the answer must be an error or a connector, never a panic.
func checkZeroConfig(t *testing.T, d connectors.Driver) {
	for _, cfg := range []connectors.Config{
		{},
		{Name: "empty", Settings: cty.NullVal(cty.DynamicPseudoType), Operations: map[string]connectors.OperationConfig{"op": {}}},
		{Name: "empty", Settings: cty.EmptyObjectVal, Operations: map[string]connectors.OperationConfig{"op": {Settings: cty.EmptyObjectVal}}},
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("Open(%+v) panicked: %v", cfg, r)
				}
			}()
			c, err := d.Open(cfg)
			if err != nil || c == nil {
				return
			}
			_, _ = call(t, c, context.Background(), Case{Operation: "op"}, "")
			if cl, ok := c.(connectors.Closer); ok {
				_ = cl.Close()
			}
		}()
	}
}

// checkCancelled calls with a context that is already done. The error must say
// why (context.Canceled or DeadlineExceeded) so the engine can tell a timeout from
// a failure of the system behind the connector.
func checkCancelled(t *testing.T, conn connectors.Connector, cases Cases) {
	tc := firstOperation(cases)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel2()

	for _, c := range []struct {
		name string
		ctx  context.Context
		want error
	}{
		{"Canceled", cancelled, context.Canceled},
		{"DeadlineExceeded", expired, context.DeadlineExceeded},
	} {
		t.Run(c.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := invoke(c.ctx, conn, tc, "")
				done <- err
			}()
			select {
			case err := <-done:
				var p *panicError
				if errors.As(err, &p) {
					t.Errorf("Call(%q) with a done context panicked: %v", tc.Operation, p.value)
				} else if !errors.Is(err, c.want) {
					t.Errorf("Call(%q) with a done context: error = %v, want one wrapping %v", tc.Operation, err, c.want)
				}
			case <-time.After(cancelGrace):
				t.Errorf("Call(%q) with a done context did not return within %v", tc.Operation, cancelGrace)
			}
		})
	}
}

// checkNilInput passes a nil Input map: a connector may reject it, not panic.
func checkNilInput(t *testing.T, conn connectors.Connector, cases Cases) {
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.Operation] {
			continue
		}
		seen[tc.Operation] = true
		_, _ = call(t, conn, context.Background(), Case{Operation: tc.Operation}, "")
	}
}

// checkDeclaredOutput holds each result to the operation's declared output:
// the engine would quietly make a missing field null and drop an undeclared
// one, so a field the Go code spells differently from its declaration would
// reach the bot as an empty value instead of failing here.
func checkDeclaredOutput(t *testing.T, d connectors.Driver, cfg connectors.Config, conn connectors.Connector, cases Cases) {
	sigs, err := connectors.Signatures(d, cfg)
	if err != nil {
		t.Fatalf("operations: %v", err)
	}
	outputs := map[string]cty.Type{}
	for _, op := range sigs {
		outputs[op.Name] = op.Output
	}
	for _, tc := range successes(t, cases) {
		out, ok := outputs[tc.Operation]
		if !ok || out == cty.NilType || !out.IsObjectType() {
			continue // no declared output: whatever the system returns is the result
		}
		t.Run(tc.Name, func(t *testing.T) {
			resp, err := call(t, conn, context.Background(), tc, "")
			if err != nil {
				t.Fatalf("Call: %v", err)
			}
			for _, name := range slices.Sorted(maps.Keys(out.AttributeTypes())) {
				if _, ok := resp.Data[name]; !ok {
					t.Errorf("operation %q declares output field %q, but the result has no such field; the bot would read null", tc.Operation, name)
				}
			}
			for _, name := range slices.Sorted(maps.Keys(resp.Data)) {
				if !out.HasAttribute(name) {
					t.Errorf("result has field %q, which operation %q does not declare; the engine drops it, so the bot can never read it", name, tc.Operation)
				}
			}
			if _, err := connectors.Conform(resp.Data, out); err != nil {
				t.Errorf("operation %q: the result does not fit the declared output: %v", tc.Operation, err)
			}
		})
	}
}

// checkFresh changes one result and looks for the change in the next. It does
// not compare the two: a write that creates something (a note, a voucher)
// rightly answers each new request with a new id.
func checkFresh(t *testing.T, conn connectors.Connector, tc Case) {
	first, err := call(t, conn, context.Background(), tc, "")
	if err != nil {
		t.Fatalf("Call: %v", err)
	}
	scribble(first.Data)
	second, err := call(t, conn, context.Background(), tc, "")
	if err != nil {
		t.Fatalf("second Call: %v", err)
	}
	if path := scribbled("result", second.Data); path != "" {
		t.Errorf("changing one result changed the next (%s); results must be fresh maps:\n%v", path, second.Data)
	}
}

// checkIdempotencyKey makes the same request twice with one key, as a retry
// does. An operation the connector says is safe to repeat must answer the
// repeat as it did the first time: a write the system did twice (a second note,
// a second refund) shows up as a different result.
func checkIdempotencyKey(t *testing.T, conn connectors.Connector, tc Case, key string) {
	var first map[string]any
	for attempt := 1; attempt <= 2; attempt++ {
		resp, err := call(t, conn, context.Background(), tc, key)
		if err != nil {
			t.Fatalf("attempt %d with IdempotencyKey %q: %v", attempt, key, err)
		}
		if tc.Want != nil {
			if diff := cmp.Diff(tc.Want, resp.Data, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("attempt %d result mismatch (-want +got):\n%s", attempt, diff)
			}
		}
		if attempt == 1 {
			if first, err = jsonCopy(resp.Data); err != nil {
				t.Fatalf("result is not JSON: %v", err)
			}
			continue
		}
		ir, ok := conn.(connectors.IdempotenceReporter)
		if !ok || !ir.Idempotent(tc.Operation) {
			continue
		}
		if diff := cmp.Diff(first, resp.Data, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Idempotent(%q) is true, but the same IdempotencyKey gave another result (-first +repeat); "+
				"the engine retries it, so the system must deduplicate by the key (or Idempotent must say false):\n%s", tc.Operation, diff)
		}
	}
}

// scribbleMark is what scribble writes; finding it in a later result means the
// connector handed out the same map or slice twice.
const scribbleMark = "connectortest-scribbled"

// scribble changes every map and slice in v in place, as a careless caller might.
func scribble(v any) {
	switch x := v.(type) {
	case map[string]any:
		if x == nil {
			return
		}
		for k, e := range x {
			scribble(e)
			if _, nested := e.(map[string]any); !nested {
				x[k] = scribbleMark
			}
		}
		x[scribbleMark] = true
	case []any:
		for i, e := range x {
			scribble(e)
			if _, nested := e.(map[string]any); !nested {
				x[i] = scribbleMark
			}
		}
	}
}

// scribbled returns the path of the first mark scribble left in v, or "".
func scribbled(path string, v any) string {
	switch x := v.(type) {
	case string:
		if x == scribbleMark {
			return path
		}
	case map[string]any:
		if _, ok := x[scribbleMark]; ok {
			return path
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if p := scribbled(path+"."+k, x[k]); p != "" {
				return p
			}
		}
	case []any:
		for i, e := range x {
			if p := scribbled(fmt.Sprintf("%s[%d]", path, i), e); p != "" {
				return p
			}
		}
	}
	return ""
}

func checkConcurrent(t *testing.T, conn connectors.Connector, cases Cases) {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for r := range rounds {
				for i, tc := range cases {
					resp, err := call(t, conn, context.Background(), tc, fmt.Sprintf("connectortest-concurrent-%d-%d-%d", w, r, i))
					checkResult(t, tc, resp, err)
					scribble(resp.Data) // a shared result map shows up as a race
				}
			}
		})
	}
	wg.Wait()
}

// checkPlain walks a result for types other than the plain JSON ones, then
// checks it survives encoding/json unchanged.
func checkPlain(t *testing.T, data map[string]any) {
	t.Helper()
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case nil, string, bool:
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Errorf("%s: %v is not a finite number", path, x)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		case map[string]any:
			for k, e := range x {
				walk(path+"."+k, e)
			}
		default:
			t.Errorf("%s: %T is not a plain JSON type (string, float64, bool, nil, []any, map[string]any)", path, v)
		}
	}
	for k, v := range data {
		walk(k, v)
	}
	if t.Failed() {
		return
	}
	back, err := jsonCopy(data)
	if err != nil {
		t.Fatalf("json round trip: %v", err)
	}
	if diff := cmp.Diff(data, back, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("result changed in a JSON round trip (-result +decoded):\n%s", diff)
	}
}

func jsonCopy(data map[string]any) (map[string]any, error) {
	b, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// copyInput gives each call its own input, so a connector that keeps or changes
// the map it was given cannot affect the next call or race with another one.
func copyInput(in map[string]any) map[string]any {
	if in == nil {
		return nil
	}
	out := make(map[string]any, len(in))
	for k, v := range in {
		out[k] = copyValue(v)
	}
	return out
}

func copyValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return copyInput(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = copyValue(e)
		}
		return out
	}
	return v
}

func successes(t *testing.T, cases Cases) Cases {
	t.Helper()
	var out Cases
	for _, tc := range cases {
		if tc.WantErr == nil {
			out = append(out, tc)
		}
	}
	if len(out) == 0 {
		t.Skip("no case that succeeds; give Exercise at least one")
	}
	return out
}

// firstOperation picks a case whose call would succeed, so that the cancelled
// context, not a bad input, is what must stop it.
func firstOperation(cases Cases) Case {
	for _, tc := range cases {
		if tc.WantErr == nil {
			return tc
		}
	}
	if len(cases) > 0 {
		return cases[0]
	}
	return Case{Operation: unknownOp}
}
