package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/websocket"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

const (
	inboxAdmin          = "inbox-admin-token"
	inboxIdentitySecret = "inbox-identity-secret-0123456789abcdef"
)

type inboxEnv struct {
	t     *testing.T
	url   string
	srv   *Server
	store store.Store
}

func newInbox(t *testing.T) *inboxEnv {
	t.Helper()
	bot, diags := engine.Load("testdata/inbox", nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	st := memstore.New()
	e, err := engine.New(context.Background(), bot, engine.Options{Store: st, Clock: stepClock(monday10, time.Second), NewID: engine.SequentialIDs()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	srv := NewServer(e, ServerConfig{Token: inboxAdmin, RequireAuth: true, RouteEvery: -1, RateLimit: -1, IdentitySecret: inboxIdentitySecret})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close(context.Background()) })
	return &inboxEnv{t: t, url: ts.URL, srv: srv, store: st}
}

// call makes a request with a bearer credential and decodes the JSON answer.
func (env *inboxEnv) call(method, path, cred string, body any) (int, map[string]any) {
	env.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, env.url+path, rd)
	if err != nil {
		env.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if cred != "" {
		req.Header.Set("Authorization", "Bearer "+cred)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		env.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			env.t.Fatalf("%s %s: not JSON: %s", method, path, raw)
		}
	}
	return resp.StatusCode, out
}

func (env *inboxEnv) must(status int, method, path, cred string, body any) map[string]any {
	env.t.Helper()
	got, out := env.call(method, path, cred, body)
	if got != status {
		env.t.Fatalf("%s %s = %d %v, want %d", method, path, got, out, status)
	}
	return out
}

func (env *inboxEnv) agent(id, name string, skills ...string) string {
	env.t.Helper()
	out := env.must(201, "POST", "/v1/admin/agents", inboxAdmin, map[string]any{"id": id, "name": name, "skills": skills})
	return out["key"].(string)
}

// conversation starts a chat and returns its id and token.
func (env *inboxEnv) conversation() (string, string) {
	env.t.Helper()
	out := env.must(201, "POST", "/v1/conversations", "", map[string]any{"channel": "web"})
	return out["conversation_id"].(string), out["token"].(string)
}

func (env *inboxEnv) say(id, token, text string) map[string]any {
	env.t.Helper()
	return env.must(200, "POST", "/v1/conversations/"+id+"/messages", token, map[string]any{"text": text, "client_message_id": text})
}

// items lists a transcript as "from:kind:text" lines.
func (env *inboxEnv) items(id, token string) []string {
	env.t.Helper()
	out := env.must(200, "GET", "/v1/conversations/"+id+"/transcript", token, nil)
	var lines []string
	for _, it := range out["items"].([]any) {
		m := it.(map[string]any)
		lines = append(lines, m["from"].(string)+":"+m["kind"].(string)+":"+m["text"].(string))
	}
	return lines
}

func (env *inboxEnv) handoffID(conversation string) string {
	env.t.Helper()
	hs, err := env.store.Handoffs(context.Background(), store.HandoffFilter{ConversationID: conversation})
	if err != nil || len(hs) == 0 {
		env.t.Fatalf("no handoff for %s: %v", conversation, err)
	}
	return hs[len(hs)-1].ID
}

// The whole inbox, as a customer and two agents live it: a handoff waits in its
// queue, an agent claims it, talks, notes, closes, and the customer rates.
func TestInboxConversation(t *testing.T) {
	env := newInbox(t)
	ann := env.agent("ann", "Ann", "general")
	bo := env.agent("bo", "Bo", "general")

	id, token := env.conversation()
	res := env.say(id, token, "human please")
	if res["handed_off"] != true || res["handoff"] == nil {
		t.Fatalf("no handoff: %v", res)
	}
	// A customer sees no internal fields.
	for _, internal := range []string{"intent", "nlu", "slots", "calls"} {
		if _, ok := res[internal]; ok {
			t.Errorf("customer response shows %q", internal)
		}
	}

	queues := env.must(200, "GET", "/v1/agent/queues", ann, nil)["queues"].([]any)
	general := queues[1].(map[string]any)
	if general["name"] != "general" || general["waiting"] != float64(1) {
		t.Fatalf("queues = %v", queues)
	}
	hid := env.handoffID(id)

	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/claim", ann, nil)
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/claim", ann, nil) // a double click
	if code, _ := env.call("POST", "/v1/agent/handoffs/"+hid+"/claim", bo, nil); code != http.StatusConflict {
		t.Errorf("second agent's claim = %d, want 409", code)
	}
	if code, _ := env.call("POST", "/v1/agent/handoffs/"+hid+"/reply", bo, map[string]any{"text": "me too"}); code != http.StatusForbidden {
		t.Errorf("reply by an agent who does not have it = %d, want 403", code)
	}
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/reply", ann, map[string]any{"text": "Hi, this is Ann.", "client_message_id": "r1"})
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/reply", ann, map[string]any{"text": "Hi, this is Ann.", "client_message_id": "r1"}) // retried
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/note", ann, map[string]any{"text": "polite, wants a refund"})
	if res := env.say(id, token, "thanks Ann"); len(res["replies"].([]any)) != 0 {
		t.Errorf("the bot spoke while Ann had the conversation: %v", res)
	}

	detail := env.must(200, "GET", "/v1/agent/handoffs/"+hid, ann, nil)
	var agentSees []string
	for _, it := range detail["transcript"].([]any) {
		m := it.(map[string]any)
		agentSees = append(agentSees, m["kind"].(string)+":"+m["text"].(string))
	}
	if !strings.Contains(strings.Join(agentSees, "|"), "note:polite, wants a refund") {
		t.Errorf("the agent does not see the note: %q", agentSees)
	}

	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/close", ann, map[string]any{"note": "sorted"})
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/close", ann, map[string]any{"note": "sorted"}) // retried: one survey
	env.say(id, token, "5 very helpful")

	want := []string{
		"customer:message:human please",
		"bot:message:Connecting you to a colleague.",
		"system:handoff:",
		"system:agent_joined:",
		"agent:message:Hi, this is Ann.",
		"customer:message:thanks Ann",
		"system:agent_left:closed",
		`bot:survey:How did we do? Tap 1 (poor) to 5 (great). You can add a comment after the number, like "5 quick and friendly".`,
		"customer:message:5 very helpful",
		"bot:message:Thank you for your feedback!",
	}
	if diff := cmp.Diff(want, env.items(id, token)); diff != "" {
		t.Errorf("customer transcript (-want +got):\n%s", diff)
	}
	sat, err := env.store.Satisfaction(context.Background(), store.SatisfactionFilter{ConversationID: id})
	if err != nil || len(sat) != 1 || sat[0].Score != 5 || sat[0].Comment != "very helpful" {
		t.Errorf("satisfaction = %+v, %v; want one 5 with its comment", sat, err)
	}
	audit, _ := env.store.Audit(context.Background(), store.AuditFilter{ConversationID: id})
	var actions []string
	for _, a := range audit {
		if strings.HasPrefix(a.Action, "handoff.") {
			actions = append(actions, a.Actor+" "+a.Action)
		}
	}
	wantAudit := []string{"bot handoff.open", "agent:ann handoff.claim", "agent:ann handoff.claim.repeat", "agent:ann handoff.closed", "agent:ann handoff.closed.repeat"}
	if diff := cmp.Diff(wantAudit, actions); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}

func TestInboxAuth(t *testing.T) {
	env := newInbox(t)
	ann := env.agent("ann", "Ann")
	sue := env.must(201, "POST", "/v1/admin/agents", inboxAdmin, map[string]any{"id": "sue", "name": "Sue", "role": "supervisor"})["key"].(string)
	id, token := env.conversation()
	other, _ := env.conversation()
	env.say(id, token, "where is my order")

	tests := []struct {
		name, method, path, cred string
		want                     int
	}{
		{"no credential", "GET", "/v1/agent/queues", "", 401},
		{"a made-up key", "GET", "/v1/agent/queues", "pk_nope", 401},
		{"a customer token is not an agent", "GET", "/v1/agent/queues", token, 401},
		{"an agent is not an admin", "GET", "/v1/admin/agents", ann, 403},
		{"the admin token", "GET", "/v1/admin/agents", inboxAdmin, 200},
		{"a customer reads their own transcript", "GET", "/v1/conversations/" + id + "/transcript", token, 200},
		{"but not someone else's", "GET", "/v1/conversations/" + other + "/transcript", token, 403},
		{"a forged token", "GET", "/v1/conversations/" + id + "/transcript", token[:len(token)-2] + "xx", 401},
		{"an agent reads conversations through their handoffs, not any transcript", "GET", "/v1/conversations/" + id + "/transcript", ann, 403},
		{"a supervisor reads any transcript", "GET", "/v1/conversations/" + id + "/transcript", sue, 200},
		{"the raw event log is for supervisors", "GET", "/v1/conversations/" + id, ann, 403},
		{"not customers", "GET", "/v1/conversations/" + id, token, 401},
		{"a supervisor reads it", "GET", "/v1/conversations/" + id, sue, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, out := env.call(tt.method, tt.path, tt.cred, nil); got != tt.want {
				t.Errorf("%s %s = %d %v, want %d", tt.method, tt.path, got, out, tt.want)
			}
		})
	}
	// A customer can't claim to be someone else, or VIP.
	code, _ := env.call("POST", "/v1/conversations/"+id+"/messages", token, map[string]any{"text": "hi", "customer": map[string]any{"vip": true}})
	if code != 400 {
		t.Errorf("customer profile in a message = %d, want 400", code)
	}
}

// Routing gives waiting conversations to online agents with the skill and room,
// the least busy first, and a returning customer to the agent who served them.
func TestInboxRouting(t *testing.T) {
	env := newInbox(t)
	ann := env.agent("ann", "Ann", "general")
	bo := env.agent("bo", "Bo", "general")
	cy := env.agent("cy", "Cy", "billing") // never gets a general conversation
	for _, key := range []string{ann, bo, cy} {
		env.must(200, "PUT", "/v1/agent/me/status", key, map[string]any{"status": "online"})
	}
	ctx := context.Background()
	// route routes, and returns who has each conversation's assigned handoff:
	// going online routes in the background too, and may have got there first.
	route := func() map[string]string {
		t.Helper()
		if _, err := desk.New(env.srv.Engine()).Route(ctx); err != nil {
			t.Fatal(err)
		}
		assigned, err := env.store.Handoffs(ctx, store.HandoffFilter{Status: desk.HandoffAssigned})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, h := range assigned {
			out[h.ConversationID] = h.Agent
		}
		return out
	}

	c1, t1 := env.conversation()
	c2, t2 := env.conversation()
	env.say(c1, t1, "human please")
	env.say(c2, t2, "human please")
	got := route()
	if len(got) != 2 || got[c1] == got[c2] || got[c1] == "cy" || got[c2] == "cy" {
		t.Fatalf("routed = %v; want one each to ann and bo", got)
	}
	first := got[c1]
	env.must(200, "POST", "/v1/agent/handoffs/"+env.handoffID(c1)+"/handback", map[string]string{"ann": ann, "bo": bo}[first], map[string]any{"note": "done"})

	// c1 asks again and goes back to the agent who served it, who has room.
	env.say(c1, t1, "human please again")
	if again := route(); again[c1] != first {
		t.Errorf("returning customer routed to %q, want %q who served them before", again[c1], first)
	}
}

// An agent's reply reaches the customer's WebSocket without a reload.
func TestInboxWebSocket(t *testing.T) {
	env := newInbox(t)
	ann := env.agent("ann", "Ann")
	id, token := env.conversation()
	env.say(id, token, "human please")

	wsURL := "ws" + strings.TrimPrefix(env.url, "http") + "/v1/conversations/" + id + "/ws?token=" + token
	ws, err := websocket.Dial(wsURL, "", env.url)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	_ = ws.SetDeadline(time.Now().Add(30 * time.Second))

	hid := env.handoffID(id)
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/claim", ann, nil)
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/reply", ann, map[string]any{"text": "Hello from Ann"})
	for {
		var f wsFrame
		if err := websocket.JSON.Receive(ws, &f); err != nil {
			t.Fatalf("no agent reply on the WebSocket: %v", err)
		}
		if f.Type == "item" && f.Item.From == "agent" {
			if f.Item.Text != "Hello from Ann" || f.Item.AgentName != "Ann" {
				t.Errorf("item = %+v", f.Item)
			}
			return
		}
	}
}

// flakyStore fails the next Begin, as a crash between two writes would.
type flakyStore struct {
	store.Store
	failNext bool
}

func (f *flakyStore) Begin(ctx context.Context, id string) (store.Tx, error) {
	if f.failNext {
		f.failNext = false
		return nil, store.ErrClosed
	}
	return f.Store.Begin(ctx, id)
}

// The review's cases: each is a way the inbox could lose or repeat something.
func TestInboxRetriesAndLimits(t *testing.T) {
	env := newInbox(t)
	ann := env.agent("ann", "Ann", "general")
	ctx := context.Background()

	t.Run("an agent id is created once", func(t *testing.T) {
		if code, _ := env.call("POST", "/v1/admin/agents", inboxAdmin, map[string]any{"id": "ann", "name": "Another Ann"}); code != http.StatusConflict {
			t.Errorf("second create = %d, want 409 (the first key must keep working)", code)
		}
		env.must(200, "GET", "/v1/agent/me", ann, nil)
	})

	t.Run("a claim after a transfer joins again", func(t *testing.T) {
		id, token := env.conversation()
		env.say(id, token, "human please")
		hid := env.handoffID(id)
		env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/claim", ann, nil)
		env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/transfer", ann, map[string]any{"queue": "billing"})
		env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/claim", ann, nil)
		joined := 0
		for _, line := range env.items(id, token) {
			if strings.HasPrefix(line, "system:agent_joined") {
				joined++
			}
		}
		if joined != 2 {
			t.Errorf("agent_joined items = %d, want 2: %q", joined, env.items(id, token))

		}
	})

	t.Run("a rating nobody asked for is refused, and a retried one counts once", func(t *testing.T) {
		id, token := env.conversation()
		env.say(id, token, "human please")
		if code, _ := env.call("POST", "/v1/conversations/"+id+"/satisfaction", token, map[string]any{"score": 1}); code != http.StatusConflict {
			t.Errorf("rating before any survey = %d, want 409", code)
		}
		hid := env.handoffID(id)
		env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/claim", ann, nil)
		env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/close", ann, nil)
		rate := map[string]any{"score": 4, "comment": "fine", "client_message_id": "rate-1"}
		env.must(204, "POST", "/v1/conversations/"+id+"/satisfaction", token, rate)
		env.must(204, "POST", "/v1/conversations/"+id+"/satisfaction", token, rate) // the browser retried
		if code, _ := env.call("POST", "/v1/conversations/"+id+"/satisfaction", token, map[string]any{"score": 5}); code != http.StatusConflict {
			t.Errorf("a second rating = %d, want 409", code)
		}
		sat, _ := env.store.Satisfaction(ctx, store.SatisfactionFilter{ConversationID: id})
		if len(sat) != 1 || sat[0].Score != 4 {
			t.Errorf("satisfaction = %+v, want one 4", sat)
		}
	})

	t.Run("an agent's key can't change handoffs behind the inbox", func(t *testing.T) {
		id, token := env.conversation()
		env.say(id, token, "human please")
		hid := env.handoffID(id)
		for _, body := range []map[string]any{{"status": "closed", "actor": "agent:someone"}, {"status": "bogus"}} {
			if code, _ := env.call("POST", "/v1/handoffs/"+hid+"/status", ann, body); code != http.StatusForbidden {
				t.Errorf("agent key, %v = %d, want 403", body, code)
			}
		}
		if code, _ := env.call("POST", "/v1/handoffs/"+hid+"/status", inboxAdmin, map[string]any{"status": "bogus"}); code != http.StatusBadRequest {
			t.Errorf("admin, bogus status = %d, want 400", code)
		}
	})

	t.Run("a signed email at the start finds the customer the email channel knows", func(t *testing.T) {
		want, err := env.store.ResolveCustomer(ctx, "email", "cy@example.com")
		if err != nil {
			t.Fatal(err)
		}
		exp := time.Now().Add(time.Hour).Unix()
		identity := map[string]any{"email": "Cy@Example.com", "expires": exp, "signature": SignIdentity(inboxIdentitySecret, "Cy@Example.com", "", exp)}
		out := env.must(201, "POST", "/v1/conversations", "", map[string]any{"channel": "web", "identity": identity})
		id, token := out["conversation_id"].(string), out["token"].(string)
		if strings.Contains(token, "example") {
			t.Error("the token carries the email readably")
		}
		env.say(id, token, "where is my order")
		conv, err := env.store.Conversation(ctx, id)
		if err != nil || conv.CustomerID != want.ID || conv.Channel != "web" {
			t.Errorf("conversation customer %q on %q, want %q on web (%v)", conv.CustomerID, conv.Channel, want.ID, err)
		}
	})
}

// A close whose second half failed (the conversation's part) is finished by
// retrying the close, and the survey is asked once.
func TestInboxCloseRetryRepairs(t *testing.T) {
	bot, diags := engine.Load("testdata/inbox", nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	st := &flakyStore{Store: memstore.New()}
	e, err := engine.New(context.Background(), bot, engine.Options{Store: st, Clock: stepClock(monday10, time.Second), NewID: engine.SequentialIDs()})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	if _, err := e.Handle(ctx, engine.Message{ConversationID: "c1", Text: "human please"}); err != nil {
		t.Fatal(err)
	}
	hs, _ := st.Handoffs(ctx, store.HandoffFilter{ConversationID: "c1"})
	ann := store.Agent{ID: "ann", Name: "Ann", Role: desk.RoleAgent}
	if _, err := desk.New(e).Claim(ctx, hs[0].ID, ann, "agent:ann"); err != nil {
		t.Fatal(err)
	}
	st.failNext = true
	if _, _, err := desk.New(e).CloseHandoff(ctx, hs[0].ID, ann, "done"); err == nil {
		t.Fatal("the close did not fail")
	}
	if _, res, err := desk.New(e).CloseHandoff(ctx, hs[0].ID, ann, "done"); err != nil || res == nil || len(res.Replies) != 1 {
		t.Fatalf("retried close: %v, %+v; want the survey question", err, res)
	}
	if _, res, err := desk.New(e).CloseHandoff(ctx, hs[0].ID, ann, "done"); err != nil || !res.Duplicate {
		t.Errorf("third close: %v, %+v; want a duplicate that asks nothing", err, res)
	}
	res, err := e.Handle(ctx, engine.Message{ConversationID: "c1", Text: "5"})
	if err != nil || len(res.Replies) == 0 {
		t.Errorf("after the repaired close the bot answers: %v, %+v", err, res)
	}
}

// The console shows why the bot handed off in the author's words (the
// policy's description), not only the policy's name.
func TestHandoffReasonText(t *testing.T) {
	tests := []struct {
		name     string
		messages []string
		reason   string
		text     string
	}{
		{"a policy with a description", []string{"blorf zzqx", "wibble plonk", "qwzx vrrp"}, "stuck", "The bot failed to understand three times in a row"},
		{"a policy without one", []string{"I want to talk to a person"}, "asked_for_human", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newShopEngine(t, memstore.New(), monday10)
			ts := serveConsole(t, e)
			for _, m := range tt.messages {
				if _, err := e.Handle(context.Background(), engine.Message{ConversationID: "why1", Channel: "web", CustomerID: "zoe", Text: m}); err != nil {
					t.Fatal(err)
				}
			}
			var list struct {
				Handoffs []struct {
					Reason     string `json:"reason"`
					ReasonText string `json:"reason_text"`
				} `json:"handoffs"`
			}
			if code := getJSON(t, ts.URL+"/v1/agent/handoffs?conversation=why1", "admin-token", &list); code != http.StatusOK || len(list.Handoffs) != 1 {
				t.Fatalf("GET handoffs: %d, %+v", code, list)
			}
			if got := list.Handoffs[0]; got.Reason != tt.reason || got.ReasonText != tt.text {
				t.Errorf("reason %q, text %q; want %q, %q", got.Reason, got.ReasonText, tt.reason, tt.text)
			}
		})
	}
}
