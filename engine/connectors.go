package engine

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/connectors/bind"
	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/policies"
)

// ConnectorTypes tells the policy loader about a registry's connector types.
type ConnectorTypes = bind.Types

// ConnectorConfig is what a driver opens for a connector block.
func ConnectorConfig(decl *policies.Connector) connectors.Config { return bind.Config(decl) }

// connection is an open connector with its declaration and circuit breaker. The
// breaker lives as long as the engine, so every conversation sees one state:
// when the order system is down, the bot stops calling it for everyone.
type connection struct {
	decl    *policies.Connector
	conn    connectors.Connector
	breaker *connectors.Breaker
}

func (e *Engine) openConnectors(reg *connectors.Registry, overrides map[string]cty.Value) error {
	names := make([]string, 0, len(e.bot.Connectors))
	for name := range e.bot.Connectors {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		decl := e.bot.Connectors[name]
		d, ok := reg.Lookup(decl.Type)
		if !ok {
			return fmt.Errorf("connector %q: unknown type %q", name, decl.Type)
		}
		cfg := ConnectorConfig(decl)
		if s, ok := overrides[name]; ok {
			cfg.Settings = mergeSettings(decl.Settings, s)
		}
		c, err := d.Open(cfg)
		if err != nil {
			return fmt.Errorf("open connector %q: %w", name, err)
		}
		e.connectors[name] = &connection{
			decl:    decl,
			conn:    c,
			breaker: connectors.NewBreaker(decl.Breaker.Failures, decl.Breaker.Cooldown, e.clock),
		}
	}
	return nil
}

// policy is how one operation is called: its timeout, and whether and how often
// it may be retried.
func (c *connection) policy(operation string) connectors.CallPolicy {
	p := connectors.CallPolicy{
		Timeout:    c.decl.Timeout,
		Attempts:   c.decl.Retry.Attempts,
		Backoff:    c.decl.Retry.Backoff,
		MaxBackoff: c.decl.Retry.MaxBackoff,
	}
	op := c.decl.Operations[operation]
	if op != nil && op.Timeout > 0 {
		p.Timeout = op.Timeout
	}
	switch {
	case op != nil && op.Idempotent != nil:
		p.Retryable = *op.Idempotent
	default:
		if r, ok := c.conn.(connectors.IdempotenceReporter); ok {
			p.Retryable = r.Idempotent(operation)
		}
	}
	return p
}

// ConnectorHealth is one connector's state, for readiness checks and operators.
type ConnectorHealth struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Circuit string `json:"circuit"`         // closed, open or half_open
	Error   string `json:"error,omitempty"` // from the connector's health check
}

// ConnectorHealth checks every connector that can be checked.
func (e *Engine) ConnectorHealth(ctx context.Context) []ConnectorHealth {
	names := make([]string, 0, len(e.connectors))
	for name := range e.connectors {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]ConnectorHealth, 0, len(names))
	for _, name := range names {
		c := e.connectors[name]
		h := ConnectorHealth{Name: name, Type: c.decl.Type, Circuit: c.breaker.State()}
		if hc, ok := c.conn.(connectors.HealthChecker); ok {
			hctx, cancel := context.WithTimeout(ctx, c.decl.Timeout)
			if err := hc.Health(hctx); err != nil {
				h.Error = err.Error()
			}
			cancel()
		}
		out = append(out, h)
	}
	return out
}

// call runs one connector operation under its connector's timeout, retry policy
// and circuit breaker. Connector failures are the bot's business (on_error and
// friends), not the turn's: they come back as an error code.
func (t *turn) call(ctx context.Context, eff dialog.Effect) dialog.Result {
	req := eff.Call
	t.result.Calls = append(t.result.Calls, req.Connector+"."+req.Operation)
	res := dialog.Result{EffectID: eff.ID}
	c, ok := t.e.connectors[req.Connector]
	if !ok {
		res.Error = "unknown_connector"
		return res
	}
	started := time.Now()
	p := c.policy(req.Operation)
	resp, tries, err := connectors.Invoke(ctx, c.conn, connectors.Request{Operation: req.Operation, Input: req.Input, IdempotencyKey: req.IdempotencyKey}, p, c.breaker, t.e.sleep)
	if err == nil {
		var output cty.Type
		if op := c.decl.Operations[req.Operation]; op != nil {
			output = op.Output
		}
		res.Data, err = connectors.Conform(resp.Data, output)
		if err != nil {
			err = fmt.Errorf("%s.%s answered with the wrong shape: %w", req.Connector, req.Operation, err)
		}
	}
	detail := map[string]any{
		"connector": req.Connector, "operation": req.Operation, "input": req.Input,
		"idempotency_key": req.IdempotencyKey, "duration_ms": time.Since(started).Milliseconds(),
		"attempts": len(tries), "circuit": c.breaker.State(),
	}
	if len(tries) > 1 {
		var errs []string
		for _, a := range tries {
			if a.Err != nil {
				errs = append(errs, fmt.Sprintf("%s after %dms", connectors.ErrorCode(a.Err), a.Duration.Milliseconds()))
			}
		}
		detail["attempt_errors"] = errs
	}
	if err != nil {
		res.Error = connectors.ErrorCode(err)
		// The declared fields read as null, so `call.order.status == "shipped"`
		// is simply false after a failure.
		var output cty.Type
		if op := c.decl.Operations[req.Operation]; op != nil {
			output = op.Output
		}
		res.Data, _ = connectors.Conform(nil, output)
		detail["outcome"] = res.Error
		detail["error"] = err.Error()
	} else {
		detail["outcome"] = "ok"
		detail["result"] = res.Data
	}
	t.rec.Audit = append(t.rec.Audit, t.audit("bot", "connector.call", detail))
	t.e.observer.ConnectorCalled(req.Connector, req.Operation, detail["outcome"].(string), time.Since(started), len(tries))
	return res
}
