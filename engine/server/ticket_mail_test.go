package server

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/store"
)

// Bug: a customer's answer to the desk's email ("Re: ... [T-...]") was filed
// as a new ticket, so the agent who asked never saw it and the customer had
// two. Now it goes on the ticket its subject names, when its sender is that
// ticket's customer and it is not closed, and opens it again.
func TestCustomerEmailThreadsOnItsTicket(t *testing.T) {
	env := newDeskEnv(t)
	ann, tom := env.keys["ann"], env.keys["tom"]
	created := env.must(201, "POST", "/v1/tickets", tom, map[string]any{"subject": "Refund never arrived", "description": "For order AB123456.",
		"customer": map[string]any{"email": "cy@example.com"}, "queue": "refund_review"})
	id := field(created, "ticket", "id").(string)
	env.must(200, "POST", "/v1/tickets/"+id+"/replies", ann, map[string]any{"text": "Which bank account should we refund?"})
	env.must(200, "PATCH", "/v1/tickets/"+id, ann, map[string]any{"status": "pending"})

	mail := func(from, subject, text, messageID string) (int, map[string]any) {
		t.Helper()
		raw, _ := json.Marshal(map[string]string{"from": from, "to": "support@shop.example", "subject": subject, "text": text, "message_id": messageID})
		status, body := env.request("POST", "/v1/channels/email/tickets", "application/json", string(raw), channels.SignatureHeader, channels.SignHMAC(raw, deskSecret))
		out := map[string]any{}
		_ = json.Unmarshal([]byte(body), &out)
		return status, out
	}
	subject := "Re: Refund never arrived [" + id + "]"
	for _, tc := range []struct {
		name, from, subject, messageID string
		wantStatus                     int
		threaded                       bool
	}{
		{"the customer answers", "Cy <CY@example.com>", subject, "<a1@example.com>", http.StatusOK, true},
		{"the same email again", "Cy <cy@example.com>", subject, "<a1@example.com>", http.StatusOK, true},
		{"someone else quoting the number", "Eve <eve@example.com>", subject, "<e1@example.com>", http.StatusCreated, false},
		{"no ticket by that number", "Cy <cy@example.com>", "Re: [T-0000000000000000]", "<a2@example.com>", http.StatusCreated, false},
	} {
		status, out := mail(tc.from, tc.subject, "The account ending 4321, thanks.", tc.messageID)
		if status != tc.wantStatus || (out["threaded"] == true) != tc.threaded {
			t.Errorf("%s: %d threaded=%v, want %d threaded=%v (%v)", tc.name, status, out["threaded"], tc.wantStatus, tc.threaded, out)
		}
	}
	tk := env.must(200, "GET", "/v1/tickets/"+id, ann, nil)
	if diff := cmp.Diff([]string{"status:open", "reply", "status:pending", "message", "status:open"}, historyFields(tk)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	// Closed is final: an answer then is a new request.
	env.must(200, "PATCH", "/v1/tickets/"+id, tom, map[string]any{"status": "closed"})
	if status, out := mail("cy@example.com", subject, "One more thing", "<a3@example.com>"); status != http.StatusCreated || out["threaded"] == true {
		t.Errorf("an answer to a closed ticket = %d %v, want a new ticket", status, out)
	}
	ts, _ := env.store.Tickets(context.Background(), store.TicketFilter{})
	if len(ts) != 4 {
		t.Errorf("%d tickets, want 4: the first, Eve's, the unknown number's and the one after closing", len(ts))
	}
}
