package server

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A ticket's notes and changes take a client_id (or Idempotency-Key): a
// retry (the answer was lost) or a double submit is done once, per ticket
// and agent, and the same key for other text is refused.
func TestTicketChangeRetries(t *testing.T) {
	env := newDeskEnv(t)
	ann, tom := "Bearer "+env.keys["ann"], "Bearer "+env.keys["tom"]
	status, raw := env.request("POST", "/v1/tickets", "application/json",
		`{"subject":"Broken screen","description":"Order AB123456 arrived cracked.","customer":{"email":"cy@example.com"}}`, "Authorization", ann)
	if status != 201 {
		t.Fatalf("POST /v1/tickets = %d %s", status, raw)
	}
	var created struct{ Ticket struct{ ID string } }
	_ = json.Unmarshal([]byte(raw), &created)
	id := created.Ticket.ID
	waitSent(t, env.email, 1) // the acknowledgement

	for _, step := range []struct {
		name, method, path, body string
		header                   []string
		want                     int
		history                  string // the ticket's history fields after the step
	}{
		{"a note", "POST", "/notes", `{"text":"called the courier","client_id":"n-1"}`, []string{"Authorization", ann}, 200,
			"status:open note"},
		{"the note retried", "POST", "/notes", `{"text":"called the courier","client_id":"n-1"}`, []string{"Authorization", ann}, 200,
			"status:open note"},
		{"the note retried with Idempotency-Key", "POST", "/notes", `{"text":"called the courier"}`, []string{"Authorization", ann, "Idempotency-Key", "n-1"}, 200,
			"status:open note"},
		{"the key with other text", "POST", "/notes", `{"text":"called the shop","client_id":"n-1"}`, []string{"Authorization", ann}, 409,
			"status:open note"},
		{"another agent's key is theirs", "POST", "/notes", `{"text":"called the courier","client_id":"n-1"}`, []string{"Authorization", tom}, 200,
			"status:open note note"},
		{"a status with a note", "POST", "/status", `{"status":"pending","note":"asked for a photo","client_id":"s-1"}`, []string{"Authorization", ann}, 200,
			"status:open note note status:pending"},
		{"the status retried", "POST", "/status", `{"status":"pending","note":"asked for a photo","client_id":"s-1"}`, []string{"Authorization", ann}, 200,
			"status:open note note status:pending"},
		{"the status retried without a key", "POST", "/status", `{"status":"pending","note":"asked for a photo"}`, []string{"Authorization", ann}, 200,
			"status:open note note status:pending"},
		{"the status key for another status", "POST", "/status", `{"status":"solved","note":"asked for a photo","client_id":"s-1"}`, []string{"Authorization", ann}, 409,
			"status:open note note status:pending"},
		{"a change with a note", "PATCH", "", `{"priority":"urgent","note":"customer is upset","client_id":"p-1"}`, []string{"Authorization", ann}, 200,
			"status:open note note status:pending priority:urgent note"},
		{"the change retried", "PATCH", "", `{"priority":"urgent","note":"customer is upset","client_id":"p-1"}`, []string{"Authorization", ann}, 200,
			"status:open note note status:pending priority:urgent note"},
		// A keyed change that changes nothing is remembered all the same:
		// its key for another change is a conflict, and its retry after
		// the ticket moved on is answered, not applied.
		{"a change to what the ticket has", "PATCH", "", `{"priority":"urgent","client_id":"p-2"}`, []string{"Authorization", ann}, 200,
			"status:open note note status:pending priority:urgent note"},
		{"its key for another change", "PATCH", "", `{"priority":"low","client_id":"p-2"}`, []string{"Authorization", ann}, 409,
			"status:open note note status:pending priority:urgent note"},
		{"the status it has", "POST", "/status", `{"status":"pending","client_id":"s-3"}`, []string{"Authorization", ann}, 200,
			"status:open note note status:pending priority:urgent note"},
		{"its key for another status", "POST", "/status", `{"status":"open","client_id":"s-3"}`, []string{"Authorization", ann}, 409,
			"status:open note note status:pending priority:urgent note"},
		{"the priority moved on", "PATCH", "", `{"priority":"normal","client_id":"p-3"}`, []string{"Authorization", ann}, 200,
			"status:open note note status:pending priority:urgent note priority:normal"},
		{"the unchanging change retried", "PATCH", "", `{"priority":"urgent","client_id":"p-2"}`, []string{"Authorization", ann}, 200,
			"status:open note note status:pending priority:urgent note priority:normal"},
		{"a key over 200 characters", "POST", "/notes", `{"text":"x","client_id":"` + strings.Repeat("k", 201) + `"}`, []string{"Authorization", ann}, 400,
			"status:open note note status:pending priority:urgent note priority:normal"},
		{"solved", "POST", "/status", `{"status":"solved","client_id":"s-2"}`, []string{"Authorization", ann}, 200,
			"status:open note note status:pending priority:urgent note priority:normal status:solved"},
	} {
		status, raw := env.request(step.method, "/v1/tickets/"+id+step.path, "application/json", step.body, step.header...)
		if status != step.want {
			t.Errorf("%s: %d %s, want %d", step.name, status, raw, step.want)
		}
		if status == 409 && !strings.Contains(raw, "client_id") {
			t.Errorf("%s: the conflict does not say why: %s", step.name, raw)
		}
		got := strings.Join(historyFields(env.must(200, "GET", "/v1/tickets/"+id, env.keys["ann"], nil)), " ")
		if diff := cmp.Diff(step.history, got); diff != "" {
			t.Errorf("%s: history (-want +got):\n%s", step.name, diff)
		}
	}
	// The customer was told of each status once: received, pending, solved.
	var told []string
	for _, m := range waitSent(t, env.email, 3) {
		told = append(told, strings.SplitN(m.Text, "\n", 2)[0])
	}
	if len(told) != 3 || len(env.email.Sent()) != 3 {
		t.Errorf("the customer was told %d times: %q", len(env.email.Sent()), told)
	}
}
