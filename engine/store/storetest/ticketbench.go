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
// names). The "text" searches are what q= sends for words: English in any
// case (one chat ticket's description; "open" as the desk's default list
// asks, open and pending tickets only), Chinese of 3+ characters (one form
// ticket's), and Chinese of 2 characters, which every form ticket has
// ("common": the newest 200 come back) or none has ("rare").
func BenchTicketSearch(b *testing.B, s store.Store, bulk func(ctx context.Context, n int) error) {
	ctx := b.Context()
	const n = 100_000
	if err := bulk(ctx, n-BenchTicketForms); err != nil {
		b.Fatal(err)
	}
	at := time.Now().Add(-24 * time.Hour)
	for i := range BenchTicketForms {
		tk := store.Ticket{ID: fmt.Sprintf("form-%d", i), Channel: "form", Queue: "general", Subject: "Broken screen", Description: fmt.Sprintf("It cracked. 订单%d 申请退款", i),
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
		want   int    // tickets found
		first  string // the oldest of them, when want is 1
	}{
		{"contact", store.TicketFilter{Contacts: []store.Identity{{Channel: "email", ExternalID: email}}, Limit: 200}, 1, "form-2500"},
		{"desk email", store.TicketFilter{Text: email, Contacts: []store.Identity{{Channel: "email", ExternalID: email}}, Limit: 200}, 1, "form-2500"},
		{"desk phone", store.TicketFilter{Text: phone, Contacts: []store.Identity{{Channel: "phone", ExternalID: phone}, {Channel: "phone", ExternalID: phone[1:]}}, Limit: 200}, 1, "form-2500"},
		{"text en", store.TicketFilter{Text: "ORDER 4242 HAS", Limit: 200}, 1, "chat-4242"},
		{"text en open", store.TicketFilter{Text: "ORDER 4242 HAS", Statuses: []string{"open", "pending"}, Limit: 200}, 1, "chat-4242"},
		{"text zh", store.TicketFilter{Text: "订单2500", Limit: 200}, 1, "form-2500"},
		{"text zh2 common", store.TicketFilter{Text: "退款", Limit: 200}, 200, ""},
		{"text zh2 rare", store.TicketFilter{Text: "碎屏", Limit: 200}, 0, ""},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				got, err := s.Tickets(ctx, tc.filter)
				if err != nil || len(got) != tc.want || tc.first != "" && got[0].ID != tc.first {
					b.Fatalf("Tickets(%+v) = %d tickets, %v; want %d %s", tc.filter, len(got), err, tc.want, tc.first)
				}
			}
		})
	}
}
