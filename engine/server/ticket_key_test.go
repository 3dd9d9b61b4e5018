package server

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
)

// A ticket's key (a form's client_id, the API's Idempotency-Key) makes a
// double submit one ticket. The public form's client_id can be guessed, so a
// key reused by another sender is refused: it must not answer with someone
// else's ticket (their email, phone and message).
func TestTicketKeyReusedByAnotherSender(t *testing.T) {
	env := newDeskEnv(t)
	ann := env.keys["ann"]
	first := url.Values{"name": {"Ann Lee"}, "email": {"ann.lee@example.com"}, "phone": {"+8613800138000"},
		"message": {"I live at 88 Century Avenue"}, "client_id": {"form-1"}}
	if status, raw := env.request("POST", "/v1/channels/form", "application/x-www-form-urlencoded", first.Encode(), "Accept", "application/json"); status != 201 {
		t.Fatalf("first form = %d %s", status, raw)
	}
	apiTicket := `{"subject":"Refund","description":"for order AB123456","customer":{"email":"bo@example.com"}}`
	if status, raw := env.request("POST", "/v1/tickets", "application/json", apiTicket, "Authorization", "Bearer "+ann, "Idempotency-Key", "k-1"); status != 201 {
		t.Fatalf("first API ticket = %d %s", status, raw)
	}

	for _, tc := range []struct {
		name                            string
		path, contentType, body, accept string
		header                          []string
		want                            int
	}{
		{"the same form again", "/v1/channels/form", "application/x-www-form-urlencoded", first.Encode(), "application/json", nil, 200},
		{"the same form, its text edited", "/v1/channels/form", "application/x-www-form-urlencoded",
			with(first, "message", "I live at 88 Century Avenue, flat 9"), "application/json", nil, 200},
		{"another email, same client_id", "/v1/channels/form", "application/x-www-form-urlencoded",
			url.Values{"email": {"evil@example.com"}, "message": {"hi"}, "client_id": {"form-1"}}.Encode(), "application/json", nil, 409},
		{"another phone, same client_id, as a page", "/v1/channels/form", "application/x-www-form-urlencoded",
			with(first, "phone", "+8613900139000"), "text/html", nil, 409},
		{"the same API ticket again", "/v1/tickets", "application/json", apiTicket, "application/json",
			[]string{"Authorization", "Bearer " + ann, "Idempotency-Key", "k-1"}, 200},
		{"another customer, same Idempotency-Key", "/v1/tickets", "application/json",
			`{"subject":"Refund","description":"for order AB123456","customer":{"email":"cy@example.com"}}`, "application/json",
			[]string{"Authorization", "Bearer " + ann, "Idempotency-Key", "k-1"}, 409},
		{"another caller's Idempotency-Key is theirs", "/v1/tickets", "application/json",
			`{"subject":"Refund","description":"for order AB123456","customer":{"email":"cy@example.com"}}`, "application/json",
			[]string{"Authorization", "Bearer " + env.keys["tom"], "Idempotency-Key", "k-1"}, 201},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, raw := env.request("POST", tc.path, tc.contentType, tc.body, append([]string{"Accept", tc.accept}, tc.header...)...)
			if status != tc.want {
				t.Fatalf("status = %d, want %d: %s", status, tc.want, raw)
			}
			if status == 409 {
				var out map[string]any
				_ = json.Unmarshal([]byte(raw), &out)
				if _, leaked := out["ticket"]; leaked {
					t.Errorf("a refused post shows the ticket: %s", raw)
				}
			}
		})
	}
	ts, err := env.store.Tickets(context.Background(), store.TicketFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var emails []string
	for _, tk := range ts {
		emails = append(emails, tk.Unverified["email"]+tk.CustomerID)
	}
	if diff := cmp.Diff(3, len(ts)); diff != "" {
		t.Errorf("tickets (-want +got):\n%s\n%v", diff, emails)
	}
}

func with(v url.Values, key, value string) string {
	c := url.Values{}
	for k, vs := range v {
		c[k] = vs
	}
	c.Set(key, value)
	return c.Encode()
}
