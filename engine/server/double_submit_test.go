package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/store"
)

// A double click, two tabs or a client's retry act once, on the stores a
// server runs on: a supervisor's approval or rejection is one decision, one
// audit entry, one call and one message to the customer; an agent's close of
// a ticket is one change and one notice; a reply or a note sent again with
// its idempotency key is one message.
func TestDoubleSubmitsActOnce(t *testing.T) {
	for _, sk := range everyStore[1:] { // the embedded store and PostgreSQL
		t.Run(sk.name, func(t *testing.T) {
			env := newDeskEnvOn(t, sk.open(t))
			t.Run("approve", func(t *testing.T) { testDoubleDecision(t, env, "RS005001", "approve") })
			t.Run("reject", func(t *testing.T) { testDoubleDecision(t, env, "EF111111", "reject") })
			t.Run("close a ticket", func(t *testing.T) { testDoubleTicketClose(t, env) })
			t.Run("reply with a key", func(t *testing.T) { testDoubleReply(t, env) })
		})
	}
}

// clicks sends the same request n times at once, as two tabs or a double
// click do, and returns the statuses and bodies.
func (env *deskEnv) clicks(n int, method, path, cred string, body any, header ...string) ([]int, []string) {
	raw, _ := json.Marshal(body)
	statuses, bodies := make([]int, n), make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequest(method, env.url+path, bytes.NewReader(raw))
			if err != nil {
				bodies[i] = err.Error()
				return
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+cred)
			for j := 0; j+1 < len(header); j += 2 {
				req.Header.Set(header[j], header[j+1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				bodies[i] = err.Error()
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			statuses[i], bodies[i] = resp.StatusCode, string(b)
		}()
	}
	wg.Wait()
	return statuses, bodies
}

func allOK(t *testing.T, what string, statuses []int, bodies []string) {
	t.Helper()
	for i, st := range statuses {
		if st != http.StatusOK && st != http.StatusCreated {
			t.Errorf("%s, request %d: %d %s", what, i+1, st, bodies[i])
		}
	}
}

// auditActions lists the audit's actions with prefix about one record.
func (env *deskEnv) auditActions(t *testing.T, prefix, key, id string) []string {
	t.Helper()
	rows, err := env.store.Audit(context.Background(), store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		var detail map[string]any
		_ = json.Unmarshal(r.Detail, &detail)
		if strings.HasPrefix(r.Action, prefix) && fmt.Sprint(detail[key]) == id {
			out = append(out, r.Actor+" "+r.Action)
		}
	}
	return out
}

func countContaining(lines []string, s string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

func testDoubleDecision(t *testing.T, env *deskEnv, order, decision string) {
	tom := env.keys["tom"]
	conv, token, id := env.refundInChat(order)
	statuses, bodies := env.clicks(3, "POST", "/v1/approvals/"+id+"/"+decision, tom, map[string]any{"note": "checked"})
	allOK(t, decision+" from two tabs", statuses, bodies)
	again := env.must(200, "POST", "/v1/approvals/"+id+"/"+decision, tom, map[string]any{"note": "checked"})
	want := map[string]string{"approve": store.ApprovalApproved, "reject": store.ApprovalRejected}[decision]
	if again["status"] != want || again["decided_by"] != "agent:tom" {
		t.Errorf("after the clicks: %v", again)
	}
	other := map[string]string{"approve": "reject", "reject": "approve"}[decision]
	env.must(409, "POST", "/v1/approvals/"+id+"/"+other, tom, nil)

	a, err := env.store.Approval(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var decisions []string
	for _, h := range a.History {
		if h.Status == want && strings.HasPrefix(h.Actor, "agent:") {
			decisions = append(decisions, h.Actor+" "+h.Status)
		}
	}
	if diff := fmt.Sprint(decisions); diff != "[agent:tom "+want+"]" {
		t.Errorf("decisions in the approval's history: %v, want one", decisions)
	}
	if got := env.auditActions(t, "approval."+want, "approval", id); len(got) != 1 {
		t.Errorf("audit entries of the decision: %v, want one", got)
	}
	refunds := env.shop.Stats().RefundsApplied[order]
	if decision == "approve" && refunds != 1 || decision == "reject" && refunds != 0 {
		t.Errorf("%d refunds of %s applied", refunds, order)
	}
	told := map[string]string{"approve": "is approved", "reject": "did not approve"}[decision]
	if n := countContaining(env.items(conv, token), told); n != 1 {
		t.Errorf("the customer was told %d times %q: %v", n, told, env.items(conv, token))
	}
}

func testDoubleTicketClose(t *testing.T, env *deskEnv) {
	tom := env.keys["tom"]
	sentBefore := len(env.email.Sent())
	created := env.must(201, "POST", "/v1/tickets", tom, map[string]any{"subject": "Gift card", "description": "Do you sell gift cards?", "customer": map[string]any{"email": "gina@example.com"}})
	id := created["ticket"].(map[string]any)["id"].(string)
	waitSent(t, env.email, sentBefore+1) // the acknowledgement

	// Solved (the customer is told) and then closed, each from two tabs and
	// once more.
	for _, status := range []string{"solved", "closed"} {
		statuses, bodies := env.clicks(3, "PATCH", "/v1/tickets/"+id, tom, map[string]any{"status": status})
		allOK(t, status+" from two tabs", statuses, bodies)
		env.must(200, "PATCH", "/v1/tickets/"+id, tom, map[string]any{"status": status})
		env.must(200, "POST", "/v1/tickets/"+id+"/status", tom, map[string]any{"status": status})
	}
	tk, err := env.store.Ticket(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var moves []string
	for _, h := range tk.History {
		if h.Field == "status" {
			moves = append(moves, h.From+">"+h.To)
		}
	}
	if fmt.Sprint(moves) != "[>open open>solved solved>closed]" {
		t.Errorf("status changes %v, want open>solved and solved>closed once each", moves)
	}
	if got := env.auditActions(t, "ticket.update", "id", id); len(got) != 2 {
		rows, _ := env.store.Audit(context.Background(), store.AuditFilter{})
		for _, r := range rows {
			t.Logf("%d %s %s %s", r.ID, r.Actor, r.Action, r.Detail)
		}
		t.Errorf("audit entries of the changes: %v, want two", got)
	}
	waitSent(t, env.email, sentBefore+2) // the solved notice
	if sent := env.email.Sent()[sentBefore:]; len(sent) != 2 || countSentContaining(sent, "is solved") != 1 {
		t.Errorf("emails to the customer: %+v, want the acknowledgement and one solved notice", sent)
	}

	// A note sent again with its key is one note.
	key := "note-" + id
	statuses, bodies := env.clicks(2, "POST", "/v1/tickets/"+id+"/notes", tom, map[string]any{"text": "customer called back"}, "Idempotency-Key", key)
	allOK(t, "a note sent twice with its key", statuses, bodies)
	env.must(200, "POST", "/v1/tickets/"+id+"/notes", tom, map[string]any{"text": "customer called back", "client_id": key})
	tk, _ = env.store.Ticket(context.Background(), id)
	var notes int
	for _, h := range tk.History {
		if h.Field == "note" && h.Note == "customer called back" {
			notes++
		}
	}
	if notes != 1 {
		t.Errorf("%d notes, want 1: %+v", notes, tk.History)
	}
}

func countSentContaining(sent []channels.Outbound, s string) int {
	n := 0
	for _, m := range sent {
		if strings.Contains(m.Text, s) {
			n++
		}
	}
	return n
}

func testDoubleReply(t *testing.T, env *deskEnv) {
	ann := env.keys["ann"]
	conv, token := env.conversation()
	env.say(conv, token, "I want to talk to a human")
	hid := env.handoffID(conv)
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/claim", ann, nil)

	// The key in the body, as the console sends it, and in the header, as
	// the tickets API takes it.
	statuses, bodies := env.clicks(3, "POST", "/v1/agent/handoffs/"+hid+"/reply", ann, map[string]any{"text": "Hello, this is Ann", "client_message_id": "r-1"})
	allOK(t, "a reply sent three times with its client_message_id", statuses, bodies)
	statuses, bodies = env.clicks(3, "POST", "/v1/agent/handoffs/"+hid+"/reply", ann, map[string]any{"text": "Let me check that order"}, "Idempotency-Key", "r-2")
	allOK(t, "a reply sent three times with its Idempotency-Key", statuses, bodies)
	statuses, bodies = env.clicks(2, "POST", "/v1/agent/handoffs/"+hid+"/note", ann, map[string]any{"text": "VIP"}, "Idempotency-Key", "n-1")
	allOK(t, "a note sent twice with its Idempotency-Key", statuses, bodies)

	items := env.items(conv, token)
	for _, text := range []string{"Hello, this is Ann", "Let me check that order"} {
		if n := countContaining(items, text); n != 1 {
			t.Errorf("the customer sees %q %d times: %v", text, n, items)
		}
	}
	evs, err := env.store.Events(context.Background(), conv, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var notes int
	for _, ev := range evs {
		if strings.Contains(string(ev.Data), `"VIP"`) {
			notes++
		}
	}
	if notes != 1 {
		t.Errorf("the note is %d times in the log, want once", notes)
	}
}
