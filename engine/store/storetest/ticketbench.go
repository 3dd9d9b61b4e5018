package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/store"
)

// BenchTicketForms is how many of BenchTicketSearch's tickets a public form
// filed; the rest come from chats.
const BenchTicketForms = 5_000

// BenchTicketSearch times the ticket search by a contact over 100,000
// tickets: bulk writes the chat tickets (rows without an unverified
// contact, quicker than CreateTicket), then BenchTicketForms form tickets
// are created one by one, so that the store sets whatever it derives from
// their contact. "contact" is a search by an email alone, "desk email" and
// "desk phone" are what the desk's q= sends (the text and the contacts it
// names).
func BenchTicketSearch(b *testing.B, s store.Store, bulk func(ctx context.Context, n int) error) {
	ctx := b.Context()
	const n = 100_000
	if err := bulk(ctx, n-BenchTicketForms); err != nil {
		b.Fatal(err)
	}
	at := time.Now().Add(-24 * time.Hour)
	for i := range BenchTicketForms {
		tk := store.Ticket{ID: fmt.Sprintf("form-%d", i), Channel: "form", Queue: "general", Subject: "Broken screen", Description: "It cracked.",
			Priority: "normal", Status: "open", CreatedAt: at.Add(time.Duration(i) * time.Second),
			Unverified: map[string]string{"email": fmt.Sprintf("form-%d@example.com", i), "phone": fmt.Sprintf("+86139%08d", i), "name": "Ann"}}
		if _, _, err := s.CreateTicket(ctx, tk, store.AuditEntry{}); err != nil {
			b.Fatal(err)
		}
	}
	email := "form-2500@example.com"
	phone := fmt.Sprintf("+86139%08d", 2500)
	for _, tc := range []struct {
		name   string
		filter store.TicketFilter
	}{
		{"contact", store.TicketFilter{Contacts: []store.Identity{{Channel: "email", ExternalID: email}}, Limit: 200}},
		{"desk email", store.TicketFilter{Text: email, Contacts: []store.Identity{{Channel: "email", ExternalID: email}}, Limit: 200}},
		{"desk phone", store.TicketFilter{Text: phone, Contacts: []store.Identity{{Channel: "phone", ExternalID: phone}, {Channel: "phone", ExternalID: phone[1:]}}, Limit: 200}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				got, err := s.Tickets(ctx, tc.filter)
				if err != nil || len(got) != 1 || got[0].ID != "form-2500" {
					b.Fatalf("Tickets(%+v) = %d tickets, %v; want form-2500", tc.filter, len(got), err)
				}
			}
		})
	}
}
