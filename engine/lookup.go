package engine

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

// lookupCustomer asks the CRM (the bot's customer_lookup) who the customer is,
// when it never has or the answer is older than the block's refresh, and lays
// its answer (name, vip, tier) over the profile. It returns the profile to
// keep and the audit entry of the call (nil when nothing was asked). A CRM that
// is down costs only this: the customer is asked about again next time.
func (e *Engine) lookupCustomer(ctx context.Context, conversationID string, cust store.Customer, facts map[string]any) (store.CustomerProfile, *store.AuditEntry) {
	p := cust.Profile
	l := e.bot.CustomerLookup
	if l == nil || l.Call == nil || l.Call.Input == nil {
		return p, nil
	}
	now := e.clock()
	if !p.CheckedAt.IsZero() && now.Sub(p.CheckedAt) < l.Refresh && !now.Before(p.CheckedAt) {
		return p, nil
	}
	c, ok := e.connectors[l.Call.Connector]
	if !ok {
		return p, nil
	}
	input, err := lookupInput(e.bot, l, facts, now)
	if err != nil || len(input) == 0 {
		return p, nil // nothing to ask by: an anonymous customer
	}
	started := time.Now()
	op := l.Call.Operation
	resp, tries, err := connectors.Invoke(ctx, c.conn, connectors.Request{Operation: op, Input: input}, c.policy(op), c.breaker, e.sleep)
	var data map[string]any
	if err == nil {
		var output cty.Type
		if decl := c.decl.Operations[op]; decl != nil {
			output = decl.Output
		}
		data, err = connectors.Conform(resp.Data, output)
	}
	outcome := "ok"
	detail := map[string]any{"connector": l.Call.Connector, "operation": op, "input": input, "purpose": "customer_lookup",
		"duration_ms": time.Since(started).Milliseconds(), "attempts": len(tries), "circuit": c.breaker.State()}
	switch {
	case err == nil:
		detail["result"] = data
		if v, ok := data["name"].(string); ok && v != "" {
			p.Name = v
		}
		if v, ok := data["vip"].(bool); ok {
			p.VIP = v
		}
		if v, ok := data["tier"].(string); ok {
			p.Tier = v
		}
		p.Source, p.CheckedAt = "crm", now
	case connectors.ErrorCode(err) == "not_found":
		outcome = "not_found"
		p.CheckedAt = now // not a customer the CRM knows: ask again after refresh
	default:
		outcome = connectors.ErrorCode(err)
		detail["error"] = err.Error()
	}
	detail["outcome"] = outcome
	e.observer.ConnectorCalled(l.Call.Connector, op, outcome, time.Since(started), len(tries))
	entry := e.Audit("bot", "connector.call", conversationID, detail)
	return p, &entry
}

// lookupInput evaluates the lookup's input for the customer, leaving out what
// is unknown ("" or null): the CRM is asked by what there is.
func lookupInput(bot *policies.Bot, l *policies.CustomerLookup, facts map[string]any, now time.Time) (map[string]any, error) {
	v, diags := bot.Env(policies.Scope{Customer: customerValue(facts), Now: now}).Value(l.Call.Input)
	if diags.HasErrors() {
		return nil, fmt.Errorf("customer lookup input: %s", diags.Error())
	}
	raw, err := connectors.FromCty(v)
	if err != nil {
		return nil, fmt.Errorf("customer lookup input: %w", err)
	}
	in, _ := raw.(map[string]any)
	out := maps.Clone(in)
	for k, x := range in {
		if x == nil || x == "" {
			delete(out, k)
		}
	}
	return out, nil
}
