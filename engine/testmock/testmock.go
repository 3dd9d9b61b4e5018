// Package testmock stands in for a bot's connectors while `parley test` runs:
// a call is answered by the first mock that matches it (the test's own mocks,
// then the bot's top-level ones), whatever the connector type, since it wraps
// every driver of the registry. A call that no mock answers, a system that
// can't be reached and a connector that can't be opened become Problems, which
// say how to fix the test and suggest a mock block ready to paste.
package testmock

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/policies"
)

// Session is the connectors of one test run: its mocks and the problems met.
// It is safe for concurrent use.
type Session struct {
	bot   *policies.Bot
	live  bool
	mocks []*policies.Mock
	// strict connectors answer only from mocks: the suite mocks them, and the
	// test does not give them settings of its own.
	strict map[string]bool

	mu       sync.Mutex
	problems []Problem
}

// NewSession prepares the connectors of test. Live sessions ignore every mock
// and call the real systems.
func NewSession(bot *policies.Bot, test *policies.Test, live bool) *Session {
	s := &Session{bot: bot, live: live, strict: map[string]bool{}}
	if live {
		return s
	}
	s.mocks = append(append(s.mocks, test.Mocks...), bot.Mocks...)
	for _, m := range s.mocks {
		if _, own := test.Connectors[m.Connector]; !own {
			s.strict[m.Connector] = true
		}
	}
	return s
}

// Registry returns a copy of base whose drivers open connectors that answer
// from the session's mocks first.
func (s *Session) Registry(base *connectors.Registry) *connectors.Registry {
	reg := connectors.NewRegistry()
	for _, name := range base.Names() {
		d, _ := base.Lookup(name)
		reg.Register(name, driver{inner: d, s: s, typ: name})
	}
	return reg
}

// Problems returns the problems met since the last call, and forgets them.
func (s *Session) Problems() []Problem {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.problems
	s.problems = nil
	return out
}

func (s *Session) report(p Problem) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, q := range s.problems {
		// A retried call meets the same problem again: say it once.
		if q.Kind == p.Kind && q.Connector == p.Connector && q.Operation == p.Operation && reflect.DeepEqual(q.Input, p.Input) {
			return
		}
	}
	s.problems = append(s.problems, p)
}

// match returns the first mock that answers a call, or nil.
func (s *Session) match(connector string, req connectors.Request) *policies.Mock {
	return Match(s.mocks, connector, req)
}

// Match returns the first of mocks that answers a call of connector, or nil:
// the same operation, and inputs that include every value the mock gives.
func Match(mocks []*policies.Mock, connector string, req connectors.Request) *policies.Mock {
	for _, m := range mocks {
		if m.Connector == connector && m.Operation == req.Operation && inputsMatch(m.Input, req.Input) {
			return m
		}
	}
	return nil
}

// Answer is what a mock returns to the call it matched: its output, or its
// error (connectors.ErrorCode gives the code).
func Answer(m *policies.Mock) (connectors.Response, error) { return answer(m) }

// inputsMatch: the call's inputs include every value the mock gives.
func inputsMatch(want cty.Value, input map[string]any) bool {
	if want == cty.NilVal || want.IsNull() {
		return true
	}
	for name, w := range want.AsValueMap() {
		if !sameValue(w, input[name]) {
			return false
		}
	}
	return true
}

func sameValue(want cty.Value, got any) bool {
	g, err := connectors.ToCty(got)
	if err != nil {
		return false
	}
	if want.IsNull() || g.IsNull() {
		return want.IsNull() && g.IsNull()
	}
	if want.Type().IsPrimitiveType() {
		c, err := convert.Convert(g, want.Type())
		return err == nil && c.Equals(want).True()
	}
	// Lists and objects: compare as plain data, so a tuple written in HCL
	// equals the list a call sends.
	wg, err1 := connectors.FromCty(want)
	gg, err2 := connectors.FromCty(g)
	return err1 == nil && err2 == nil && reflect.DeepEqual(wg, gg)
}

var mockErrors = map[string]error{
	connectors.CodeNotFound:    connectors.ErrNotFound,
	connectors.CodeRejected:    connectors.ErrRejected,
	connectors.CodeUnavailable: connectors.ErrUnavailable,
	connectors.CodeTimeout:     connectors.ErrTimeout,
}

// answer is what a mock returns.
func answer(m *policies.Mock) (connectors.Response, error) {
	if m.Error != "" {
		return connectors.Response{}, fmt.Errorf("the mock at %s: %w", m.Range, mockErrors[m.Error])
	}
	if m.Output == cty.NilVal {
		return connectors.Response{Data: map[string]any{}}, nil
	}
	data, err := connectors.FromCty(m.Output)
	if err != nil {
		return connectors.Response{}, fmt.Errorf("the mock at %s: output: %w", m.Range, err)
	}
	out, _ := data.(map[string]any)
	return connectors.Response{Data: out}, nil
}

// errNoMock fails a call no mock answers. It is not transient, so it is not
// retried: the test fails at the first attempt.
var errNoMock = errors.New("no mock matches this call")

// driver wraps a connector type so that what it opens answers from mocks.
type driver struct {
	inner connectors.Driver
	s     *Session
	typ   string
}

func (d driver) Spec() connectors.Spec { return d.inner.Spec() }

// Open never fails: a connector that can't be opened (a missing environment
// variable) may be mocked, and otherwise fails the tests that call it, with
// the reason and the fix, instead of stopping the whole run.
func (d driver) Open(cfg connectors.Config) (connectors.Connector, error) {
	real, err := d.inner.Open(cfg)
	return &connector{name: cfg.Name, typ: d.typ, real: real, openErr: err, s: d.s}, nil
}

type connector struct {
	name, typ string
	real      connectors.Connector // nil when it could not be opened
	openErr   error
	s         *Session
}

func (c *connector) Call(ctx context.Context, req connectors.Request) (connectors.Response, error) {
	if m := c.s.match(c.name, req); m != nil {
		return answer(m)
	}
	p := Problem{Connector: c.name, Type: c.typ, Operation: req.Operation, Input: req.Input, Live: c.s.live, output: c.outputType(req.Operation)}
	if c.s.strict[c.name] {
		p.Kind = Unmatched
		c.s.report(p)
		return connectors.Response{}, errNoMock
	}
	if c.real == nil {
		p.Kind, p.Err = Unopened, c.openErr
		c.s.report(p)
		return connectors.Response{}, fmt.Errorf("connector %s could not be opened: %w", c.name, c.openErr)
	}
	resp, err := c.real.Call(ctx, req)
	if err != nil && unreachable(err) {
		p.Kind, p.Err, p.Endpoint = Unreachable, err, c.endpoint(err)
		c.s.report(p)
	}
	return resp, err
}

func (c *connector) outputType(operation string) cty.Type {
	if decl := c.s.bot.Connectors[c.name]; decl != nil {
		if op := decl.Operations[operation]; op != nil {
			return op.Output
		}
	}
	return cty.DynamicPseudoType
}

// Idempotent keeps the real connector's retry policy, so a mocked failure is
// retried as the real one would be.
func (c *connector) Idempotent(operation string) bool {
	if r, ok := c.real.(connectors.IdempotenceReporter); ok {
		return r.Idempotent(operation)
	}
	return false
}

func (c *connector) Health(ctx context.Context) error {
	if h, ok := c.real.(connectors.HealthChecker); ok {
		return h.Health(ctx)
	}
	return nil
}

func (c *connector) Close() error {
	if cl, ok := c.real.(connectors.Closer); ok {
		return cl.Close()
	}
	return nil
}
