package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

// A search by text finds the tickets whose subject or description holds it,
// ignoring case: words of any length in Chinese (1 and 2 characters too,
// which a trigram index cannot serve alone), English in any case, with
// punctuation and quotes, however the ticket was written (a turn, the API)
// and with the text it has now, after an update, a later turn or a purge.
func testTicketTextSearch(t *testing.T, s store.Store) {
	ctx := ctxT(t)
	now := turn.Now()
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "m")
		rec.Tickets = []store.Ticket{{ID: "en", Queue: "general", Subject: "Broken SCREEN", Description: "It's cracked, please help!",
			Priority: "normal", Status: "open", CreatedAt: now}}
	})
	for i, tk := range []store.Ticket{
		{ID: "zh", Subject: "申请退款", Description: "订单AB123456的屏幕碎了。"},
		{ID: "mixed", Subject: "Refund for order 42", Description: "退款：请尽快处理 (urgent)"},
		{ID: "parcel", Subject: "Where is my parcel", Description: `He said "soon" twice`},
	} {
		tk.Queue, tk.Status, tk.Priority, tk.CreatedAt = "general", "open", "normal", now.Add(time.Duration(i+1)*time.Millisecond)
		if _, _, err := s.CreateTicket(ctx, tk, store.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
	}
	search := func(when string, cases map[string][]string) {
		t.Helper()
		for text, want := range cases {
			got, err := s.Tickets(ctx, store.TicketFilter{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, ticketIDs(got)); diff != "" {
				t.Errorf("%s, Tickets(Text: %q) (-want +got):\n%s", when, text, diff)
			}
		}
	}
	search("as written", map[string][]string{
		"退":              {"zh", "mixed"},
		"退款":             {"zh", "mixed"},
		"申请退款":           {"zh"},
		"屏幕碎了":           {"zh"},
		"退款单":            nil,
		"ab123456的":      {"zh"},
		"broken screen":  {"en"},
		"BROKEN Screen":  {"en"},
		"it's cracked,":  {"en"},
		"please help!":   {"en"},
		"screen cracked": nil, // the words, but not one after the other
		"(urgent)":       {"mixed"},
		"：请":             {"mixed"},
		`"soon"`:         {"parcel"},
		`said "`:         {"parcel"},
		"r":              {"en", "mixed", "parcel"},
		"re":             {"en", "mixed", "parcel"},
		"42":             {"mixed"},
		"where is my":    {"parcel"},
	})

	if _, err := s.UpdateTicket(ctx, "parcel", func(tk *store.Ticket) (store.AuditEntry, error) {
		tk.Subject, tk.Description = "Lost package 丢件", "Courier lost it"
		return store.AuditEntry{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, s, "c1", func(c *store.Conversation, rec *store.TurnRecord) {
		rec.Events = events(c.LastSeq, 1, "m")
		rec.Tickets = []store.Ticket{{ID: "en", Queue: "general", Subject: "Screen replaced", Priority: "normal", Status: "pending"}}
	})
	search("after an update and a turn", map[string][]string{
		"where is my":     nil,
		"soon":            nil,
		"lost package":    {"parcel"},
		"丢件":              {"parcel"},
		"courier lost":    {"parcel"},
		"broken screen":   nil,
		"screen replaced": {"en"},
		"it's cracked":    {"en"}, // a turn leaves the description an agent may have written
	})
}
