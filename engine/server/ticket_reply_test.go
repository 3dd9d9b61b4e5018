package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
)

// Missing: a ticket had internal notes and the bot's status notices, but an
// agent could not write to the customer. A public reply goes where the
// ticket is answered (its chat, or the customer's email), is kept in the
// history apart from notes, is sent once however often it is retried, and
// only by who may change the ticket.
func TestTicketReply(t *testing.T) {
	env := newDeskEnv(t)
	ann, bo, tom := env.keys["ann"], env.keys["bo"], env.keys["tom"]

	// A ticket from email: the reply is an email, threaded on the ticket.
	created := env.must(201, "POST", "/v1/tickets", tom, map[string]any{"subject": "Refund never arrived", "description": "For order AB123456.",
		"customer": map[string]any{"email": "cy@example.com"}, "queue": "refund_review"})
	id := field(created, "ticket", "id").(string)
	waitSent(t, env.email, 1) // the acknowledgement
	path := "/v1/tickets/" + id + "/replies"
	body := map[string]any{"text": "Hi Cy, the refund went out today; allow 3 days.", "client_id": "r1"}
	for _, tc := range []struct {
		name, cred string
		body       map[string]any
		want       int
	}{
		{"by an agent of the queue", ann, body, http.StatusOK},
		{"retried", ann, body, http.StatusOK},
		{"the same key for other words", ann, map[string]any{"text": "something else", "client_id": "r1"}, http.StatusConflict},
		{"empty", ann, map[string]any{"text": "  "}, http.StatusBadRequest},
		{"by an agent of another queue", bo, map[string]any{"text": "hello"}, http.StatusForbidden},
	} {
		if code, out := env.call("POST", path, tc.cred, tc.body); code != tc.want {
			t.Errorf("%s: %d %v, want %d", tc.name, code, out, tc.want)
		}
	}
	if code, out := env.call("PATCH", "/v1/tickets/"+id, ann, map[string]any{"reply": "x", "status": "pending"}); code != http.StatusBadRequest {
		// The JSON field is unknown to PATCH: replies have their own route.
		t.Errorf("PATCH with a reply: %d %v, want 400", code, out)
	}
	sent := waitSent(t, env.email, 2)
	if got := sent[1]; got.To != "cy@example.com" || got.Text != body["text"] || !strings.Contains(got.Subject, id) {
		t.Errorf("reply sent = %+v", got)
	}
	time.Sleep(200 * time.Millisecond) // a second copy would be on its way
	if n := len(env.email.Sent()); n != 2 {
		t.Errorf("%d emails, want 2: the acknowledgement and one reply", n)
	}
	tk := env.must(200, "GET", "/v1/tickets/"+id, ann, nil)
	if diff := cmp.Diff([]string{"status:open", "reply"}, historyFields(tk)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	env.must(200, "PATCH", "/v1/tickets/"+id, tom, map[string]any{"status": "closed"})
	if code, _ := env.call("POST", path, tom, map[string]any{"text": "one more thing"}); code != http.StatusConflict {
		t.Errorf("a reply on a closed ticket = %d, want 409", code)
	}
	audit, _ := env.store.Audit(context.Background(), store.AuditFilter{Action: "ticket.update"})
	if len(audit) == 0 || strings.Contains(string(audit[0].Detail), "3 days") {
		t.Errorf("the reply's words are in the audit log: %v", audit)
	}

	// A ticket the chat opened: the customer reads the reply in the chat,
	// from the agent.
	conv, token := env.conversation()
	env.say(conv, token, "refund GH500000, it's the wrong item")
	env.say(conv, token, "yes")
	tickets, err := env.store.Tickets(context.Background(), store.TicketFilter{ConversationID: conv})
	if err != nil || len(tickets) != 1 {
		t.Fatalf("tickets of the chat: %v, %v", tickets, err)
	}
	env.must(200, "POST", "/v1/tickets/"+tickets[0].ID+"/replies", ann, map[string]any{"text": "Ann here: we are checking the warehouse."})
	items := env.items(conv, token)
	if last := items[len(items)-1]; last != "agent:message:Ann here: we are checking the warehouse." {
		t.Errorf("the chat ends with %q", last)
	}
}
