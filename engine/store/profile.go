package store

import "time"

// CustomerProfile is what is kept about a customer besides their identities:
// what the company's systems say (VIP status and tier, from the CRM connector
// or a trusted channel) and what the customer said about themselves (name,
// language). It outlives conversations, so the VIP who writes by SMS tomorrow
// is still a VIP; Purge leaves it, like the identities.
type CustomerProfile struct {
	Name     string `json:"name,omitempty"`
	Language string `json:"language,omitempty"`
	VIP      bool   `json:"vip"`
	Tier     string `json:"tier,omitempty"`
	// Source says where VIP and tier last came from: "crm", "api" (a trusted
	// system's key), or a channel such as "webhook:whatsapp". "" when never set.
	Source string `json:"source,omitempty"`
	// CheckedAt is when the CRM (the bot's customer_lookup) was last asked
	// about them, found or not: it is asked again once that is old enough.
	CheckedAt time.Time `json:"checked_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}
