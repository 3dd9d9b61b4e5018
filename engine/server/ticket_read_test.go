package server

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Bug: any agent read every ticket in full, the customer's email and phone,
// the description and the chat included, where a handoff in another queue
// shows them none of it. Now who may change a ticket reads it: its queue's
// agents, its assignee and supervisors; others see where it is and who has
// it.
func TestTicketReadAccess(t *testing.T) {
	env := newDeskEnv(t)
	created := env.must(201, "POST", "/v1/tickets", env.keys["tom"], map[string]any{
		"subject": "Refund never arrived", "description": "I returned order AB123456; call me on +86 138 0013 8000.",
		"customer": map[string]any{"email": "cy@example.com"}, "queue": "refund_review",
	})
	id := field(created, "ticket", "id").(string)
	env.must(200, "POST", "/v1/tickets/"+id+"/notes", env.keys["tom"], map[string]any{"text": "cy says the courier lost it"})

	type seen struct {
		Restricted, Customer, Description, Note bool
	}
	look := func(t map[string]any) seen {
		note := false
		for _, h := range t["history"].([]any) {
			note = note || h.(map[string]any)["note"] == "cy says the courier lost it"
		}
		return seen{Restricted: t["restricted"] == true, Customer: t["customer_id"] != "", Description: t["description"] != "", Note: note}
	}
	full, status := seen{Customer: true, Description: true, Note: true}, seen{Restricted: true}
	for _, tc := range []struct {
		who  string
		want seen
	}{
		{"ann", full}, // works refund_review
		{"tom", full}, // a supervisor
		{"bo", status},
	} {
		detail := env.must(200, "GET", "/v1/tickets/"+id, env.keys[tc.who], nil)
		if diff := cmp.Diff(tc.want, look(detail)); diff != "" {
			t.Errorf("%s reads the ticket (-want +got):\n%s", tc.who, diff)
		}
		if got := detail["customer"] != nil; got != tc.want.Customer {
			t.Errorf("%s reads the customer's identities: %v", tc.who, got)
		}
		list := env.must(200, "GET", "/v1/tickets?q=refund+never", env.keys[tc.who], nil)["tickets"].([]any)
		if len(list) != 1 {
			t.Fatalf("%s's search by subject: %v", tc.who, list)
		}
		if diff := cmp.Diff(tc.want, look(list[0].(map[string]any))); diff != "" {
			t.Errorf("%s's list (-want +got):\n%s", tc.who, diff)
		}
	}
	// A search finds what it can show: by the customer's email or the
	// description's words only for who reads them.
	for _, q := range []string{"cy@example.com", "AB123456"} {
		for who, want := range map[string]int{"ann": 1, "bo": 0} {
			if list := env.must(200, "GET", "/v1/tickets?q="+q, env.keys[who], nil)["tickets"].([]any); len(list) != want {
				t.Errorf("%s searches %q: %d tickets, want %d", who, q, len(list), want)
			}
		}
	}
	// Assigned to bo by a supervisor, it is his to read.
	env.must(200, "PATCH", "/v1/tickets/"+id, env.keys["tom"], map[string]any{"assignee": "bo"})
	if got := look(env.must(200, "GET", "/v1/tickets/"+id, env.keys["bo"], nil)); got != full {
		t.Errorf("bo, its assignee, reads %+v", got)
	}
}
