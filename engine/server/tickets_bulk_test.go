package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Missing: every ticket was changed alone. A bulk change applies one change
// to many, each under its own rules; a refusal is that ticket's alone, and
// a retry with the same client_id changes nothing more.
func TestTicketsBulk(t *testing.T) {
	env := newDeskEnv(t)
	ann, tom := env.keys["ann"], env.keys["tom"]
	file := func(subject, queue string) string {
		out := env.must(201, "POST", "/v1/tickets", tom, map[string]any{"subject": subject, "description": "x", "queue": queue,
			"customer": map[string]any{"email": "cy@example.com"}})
		return field(out, "ticket", "id").(string)
	}
	r1, r2, cb, done := file("one", "refund_review"), file("two", "refund_review"), file("call me", "callbacks"), file("old", "refund_review")
	env.must(200, "PATCH", "/v1/tickets/"+done, tom, map[string]any{"status": "closed"})

	outcome := func(out map[string]any) map[string]string {
		got := map[string]string{}
		for _, r := range out["results"].([]any) {
			m := r.(map[string]any)
			if e, ok := m["error"].(map[string]any); ok {
				got[m["id"].(string)] = e["code"].(string)
			} else {
				got[m["id"].(string)] = "ok " + field(m, "ticket", "assignee").(string) + " " + field(m, "ticket", "status").(string)
			}
		}
		return got
	}
	// Ann takes what she may: the tickets of her queue, not the callback.
	out := env.must(200, "POST", "/v1/tickets/bulk", ann, map[string]any{"ids": []string{r1, r2, cb, r1, "T-NOPE"}, "assignee": "ann"})
	want := map[string]string{r1: "ok ann open", r2: "ok ann open", cb: "forbidden", "T-NOPE": "not_found"}
	if diff := cmp.Diff(want, outcome(out)); diff != "" {
		t.Errorf("ann takes them (-want +got):\n%s", diff)
	}
	// The supervisor solves them with one reason; the closed one stays closed.
	body := map[string]any{"ids": []string{r1, r2, done}, "status": "solved", "note": "refunds sent in the batch of 9 Dec", "client_id": "b1"}
	out = env.must(200, "POST", "/v1/tickets/bulk", tom, body)
	want = map[string]string{r1: "ok ann solved", r2: "ok ann solved", done: "conflict"}
	if diff := cmp.Diff(want, outcome(out)); diff != "" {
		t.Errorf("tom solves them (-want +got):\n%s", diff)
	}
	env.must(200, "POST", "/v1/tickets/bulk", tom, body) // retried
	tk := env.must(200, "GET", "/v1/tickets/"+r1, tom, nil)
	if diff := cmp.Diff([]string{"status:open", "assignee:ann", "status:solved"}, historyFields(tk)); diff != "" {
		t.Errorf("history after a retried bulk change (-want +got):\n%s", diff)
	}
	// Each customer is told, once.
	solved := 0
	for _, m := range env.email.Sent() {
		if strings.Contains(m.Subject, r1) && strings.Contains(strings.ToLower(m.Text), "solved") {
			solved++
		}
	}
	if solved != 1 {
		t.Errorf("%d solved notices for %s, want 1", solved, r1)
	}

	many := make([]string, maxBulkTickets+1)
	for i := range many {
		many[i] = r1
	}
	for _, bad := range []map[string]any{
		{"ids": []string{}, "status": "solved"},
		{"ids": many, "status": "solved"},
		{"ids": []string{r1}, "subject": "all the same"},
		{"ids": []string{r1}},
	} {
		if code, out := env.call("POST", "/v1/tickets/bulk", tom, bad); code != http.StatusBadRequest {
			t.Errorf("bulk %v = %d %v, want 400", bad, code, out)
		}
	}
}
