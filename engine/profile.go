package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/engine/store"
)

// customerOf resolves who is writing (one customer across channels, see
// Message) and returns what the bot knows of them as customer.*: the profile
// kept on the customer, under what this message says. Facts a trusted caller
// gives (vip and tier from a system's key or a signed channel, a name, a
// language) are kept on the customer, so the VIP who wrote on WhatsApp is
// still a VIP when they text tomorrow.
func (e *Engine) customerOf(ctx context.Context, m *Message) (map[string]any, *store.AuditEntry, error) {
	var cust store.Customer
	var err error
	switch {
	case m.CustomerResolved:
		if m.CustomerID == "" {
			return m.Customer, nil, nil
		}
		cust, err = e.store.Customer(ctx, m.CustomerID)
		if errors.Is(err, store.ErrNotFound) {
			return m.Customer, nil, nil
		}
	case len(m.Identities) > 0:
		cust, err = e.resolveIdentities(ctx, m.Identities)
	case m.CustomerID != "" && m.Channel != "":
		// The channel knows the customer by its own id (a phone number, an email, a
		// chat id); identities linked to one customer make one history.
		cust, err = e.store.ResolveCustomer(ctx, m.Channel, m.CustomerID)
	default:
		return m.Customer, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("resolve customer: %w", err)
	}
	m.CustomerID = cust.ID
	// The CRM first, when it is time to ask it; then what this message says,
	// which is fresher still.
	looked, audit := e.lookupCustomer(ctx, m.ConversationID, cust, customerFacts(cust, m.Customer))
	p, _ := mergeProfile(looked, m.Customer, m.Channel)
	if p != cust.Profile {
		p.UpdatedAt = time.Time{} // the store stamps it
		if cust, err = e.store.SetCustomerProfile(ctx, cust.ID, p); err != nil {
			return nil, nil, fmt.Errorf("keep customer profile: %w", err)
		}
	}
	return customerFacts(cust, m.Customer), audit, nil
}

// RememberCustomer keeps facts about a customer (the name a web chat customer
// gives), as a message's facts are kept; source names who said so.
func (e *Engine) RememberCustomer(ctx context.Context, customerID string, facts map[string]any, source string) (store.Customer, error) {
	cust, err := e.store.Customer(ctx, customerID)
	if err != nil {
		return store.Customer{}, fmt.Errorf("customer %s: %w", customerID, err)
	}
	p, changed := mergeProfile(cust.Profile, facts, source)
	if !changed {
		return cust, nil
	}
	return e.store.SetCustomerProfile(ctx, customerID, p)
}

// mergeProfile lays the facts a message gives over the stored profile. VIP
// status and tier record where they came from.
func mergeProfile(p store.CustomerProfile, facts map[string]any, source string) (store.CustomerProfile, bool) {
	before := p
	if v, ok := facts["name"].(string); ok && strings.TrimSpace(v) != "" {
		p.Name = strings.TrimSpace(v)
	}
	if v, ok := facts["language"].(string); ok && v != "" {
		p.Language = v
	}
	official := false
	if v, ok := facts["vip"].(bool); ok {
		p.VIP, official = v, true
	}
	if v, ok := facts["tier"].(string); ok {
		p.Tier, official = v, true
	}
	if official && (p.VIP != before.VIP || p.Tier != before.Tier || p.Source == "") {
		p.Source = source
	}
	p.UpdatedAt = before.UpdatedAt
	if p == before {
		return p, false
	}
	p.UpdatedAt = time.Time{} // the store stamps it
	return p, true
}

// CustomerFacts is customer.* for a known customer, as templates see it: the
// kept profile and the email and phone they are known by.
func CustomerFacts(c store.Customer) map[string]any { return customerFacts(c, nil) }

// CustomerValue turns customer facts into the value expressions read.
func CustomerValue(facts map[string]any) cty.Value { return customerValue(facts) }

// customerFacts is customer.* for a known customer: the kept profile, the
// email and phone it is known by, then this message's own facts on top.
func customerFacts(c store.Customer, message map[string]any) map[string]any {
	out := map[string]any{}
	p := c.Profile
	if p.Name != "" {
		out["name"] = p.Name
	}
	if p.Language != "" {
		out["language"] = p.Language
	}
	if p.VIP {
		out["vip"] = true
	}
	if p.Tier != "" {
		out["tier"] = p.Tier
	}
	for _, id := range c.Identities {
		if (id.Channel == "email" || id.Channel == "phone") && out[id.Channel] == nil {
			out[id.Channel] = id.ExternalID
		}
	}
	maps.Copy(out, message)
	return out
}
