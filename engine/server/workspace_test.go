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

// The case: the VIP who wrote on WhatsApp (a signed webhook carrying
// the company's profile) texts by SMS and goes to the VIP queue.
func TestVIPBySMSGoesToTheVIPQueue(t *testing.T) {
	h := newChannelHarness(t, ServerConfig{})
	ctx := context.Background()
	res := h.post(t, "/v1/channels/webhook", "application/json",
		`{"channel":"whatsapp","user_id":"wa-7","text":"hello","message_id":"w1","profile":{"phone":"+86 138 0000 0007","name":"Li Wei","vip":true,"tier":"gold"}}`)
	if res.Status != 202 {
		t.Fatalf("webhook: %+v", res)
	}
	h.postSMS(t, "+8613800000007", "I want to talk to a human", "SM-vip")
	hs, err := h.store.Handoffs(ctx, store.HandoffFilter{ConversationID: ChannelConversationID("sms", "+8613800000007")})
	if err != nil || len(hs) != 1 {
		t.Fatalf("handoffs = %+v, %v", hs, err)
	}
	if hs[0].Queue != "vip" || hs[0].Priority != "urgent" {
		t.Errorf("the VIP's SMS went to %s (%s), want vip (urgent)", hs[0].Queue, hs[0].Priority)
	}
}

// Admins edit, disable and enable agents and rotate or revoke their keys over
// the API; agents can't; every change is audited.
func TestAdminAgentsAPI(t *testing.T) {
	env := newInbox(t)
	ann := env.agent("ann", "Ann", "general")
	me := env.must(200, "GET", "/v1/agent/me", ann, nil)
	if diff := cmp.Diff(map[string]any{"on": true, "setting": "default", "source": "server"}, me["auto_assign"]); diff != "" {
		t.Errorf("auto_assign the agent sees (-want +got):\n%s", diff)
	}
	if code, _ := env.call("PATCH", "/v1/admin/agents/ann", ann, map[string]any{"role": "admin"}); code != http.StatusForbidden {
		t.Errorf("an agent promoting themselves = %d, want 403", code)
	}
	got := env.must(200, "PATCH", "/v1/admin/agents/ann", inboxAdmin, map[string]any{"skills": []string{"billing", "general"}, "role": "supervisor", "max_chats": 5, "auto_assign": "off"})
	if got["role"] != "supervisor" || got["max_chats"] != float64(5) || len(got["skills"].([]any)) != 2 {
		t.Errorf("edited = %v", got)
	}
	if aa := env.must(200, "GET", "/v1/agent/me", ann, nil)["auto_assign"].(map[string]any); aa["on"] != false || aa["source"] != "agent" {
		t.Errorf("after the admin turned it off, the agent sees %v", aa)
	}
	for _, bad := range []map[string]any{{"role": "boss"}, {"max_chats": 500}, {"auto_assign": "sometimes"}, {"name": " "}, {"colour": "red"}} {
		if code, out := env.call("PATCH", "/v1/admin/agents/ann", inboxAdmin, bad); code != http.StatusBadRequest {
			t.Errorf("PATCH %v = %d %v, want 400", bad, code, out)
		}
	}
	if code, _ := env.call("PATCH", "/v1/admin/agents/nobody", inboxAdmin, map[string]any{"name": "N"}); code != http.StatusNotFound {
		t.Errorf("PATCH unknown agent = %d, want 404", code)
	}

	env.must(200, "POST", "/v1/admin/agents/ann/disable", inboxAdmin, nil)
	if code, out := env.call("GET", "/v1/agent/me", ann, nil); code != http.StatusForbidden || !strings.Contains(out["error"].(map[string]any)["message"].(string), "disabled") {
		t.Errorf("a disabled agent's key = %d %v, want 403 saying so", code, out)
	}
	env.must(200, "POST", "/v1/admin/agents/ann/enable", inboxAdmin, nil)
	env.must(200, "GET", "/v1/agent/me", ann, nil)

	rotated := env.must(200, "POST", "/v1/admin/agents/ann/key", inboxAdmin, nil)
	newKey := rotated["key"].(string)
	if code, _ := env.call("GET", "/v1/agent/me", ann, nil); code != http.StatusUnauthorized {
		t.Errorf("the old key after rotation = %d, want 401", code)
	}
	env.must(200, "GET", "/v1/agent/me", newKey, nil)
	if out := env.must(200, "DELETE", "/v1/admin/agents/ann/key", inboxAdmin, nil); out["has_key"] != false {
		t.Errorf("revoked agent = %v", out)
	}
	if code, _ := env.call("GET", "/v1/agent/me", newKey, nil); code != http.StatusUnauthorized {
		t.Errorf("a revoked key = %d, want 401", code)
	}

	var actions []string
	audit, _ := env.store.Audit(context.Background(), store.AuditFilter{})
	for _, a := range audit {
		if strings.HasPrefix(a.Action, "agent.") {
			actions = append(actions, a.Actor+" "+a.Action)
			if strings.Contains(string(a.Detail), newKey) {
				t.Errorf("%s audit holds the key", a.Action)
			}
		}
	}
	want := []string{"admin:admin agent.create", "admin:admin agent.update", "admin:admin agent.disable", "admin:admin agent.enable", "admin:admin agent.key.rotate", "admin:admin agent.key.revoke"}
	if diff := cmp.Diff(want, actions); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}

// Bug: switching to Online pulled waiting conversations without asking.
func TestOnlineWithoutAutoAssignPullsNothing(t *testing.T) {
	env := newInbox(t)
	ann := env.agent("ann", "Ann", "general")
	env.must(200, "PATCH", "/v1/admin/agents/ann", inboxAdmin, map[string]any{"auto_assign": "off"})
	id, token := env.conversation()
	env.say(id, token, "human please")
	env.must(200, "PUT", "/v1/agent/me/status", ann, map[string]any{"status": "online"})
	env.srv.route(context.Background())
	if hs := env.must(200, "GET", "/v1/agent/handoffs?status=assigned&mine=true", ann, nil)["handoffs"].([]any); len(hs) != 0 {
		t.Errorf("going online pulled %d conversations", len(hs))
	}
}

// A waiting customer sees their place and leaves the queue; the console's
// workspace routes answer for the conversation.
func TestQueueAndWorkspaceAPI(t *testing.T) {
	env := newInbox(t)
	ann := env.agent("ann", "Ann", "general")
	c1, t1 := env.conversation()
	c2, t2 := env.conversation()
	env.say(c1, t1, "human please")
	env.say(c2, t2, "human please")
	place := env.must(200, "GET", "/v1/conversations/"+c2+"/queue", t2, nil)
	if place["waiting"] != true || place["position"] != float64(2) || place["queue"] != "general" {
		t.Errorf("c2's place = %v", place)
	}
	if v, ok := place["estimated_wait_seconds"]; !ok || v != nil {
		t.Errorf("with no agent online the estimate = %v, want null", v)
	}
	if res := env.say(c2, t2, "hello? how long?"); len(res["replies"].([]any)) != 1 || !strings.Contains(res["replies"].([]any)[0].(map[string]any)["text"].(string), "number 2") {
		t.Errorf("waiting customer's answer = %v", res)
	}
	if code, _ := env.call("GET", "/v1/conversations/"+c1+"/queue", t2, nil); code != http.StatusForbidden {
		t.Errorf("someone else's place = %d, want 403", code)
	}
	left := env.must(200, "POST", "/v1/conversations/"+c1+"/queue/leave", t1, nil)
	if left["handed_off"] != false || len(left["replies"].([]any)) != 1 {
		t.Errorf("leave = %v", left)
	}
	if place := env.must(200, "GET", "/v1/conversations/"+c2+"/queue", t2, nil); place["position"] != float64(1) {
		t.Errorf("after c1 left, c2's place = %v", place)
	}
	if place := env.must(200, "GET", "/v1/conversations/"+c1+"/queue", t1, nil); place["waiting"] != false {
		t.Errorf("c1 after leaving = %v", place)
	}
	// Typing "cancel" leaves too.
	res := env.must(200, "POST", "/v1/conversations/"+c2+"/messages", t2, map[string]any{"text": "cancel", "client_message_id": "cancel-1"})
	if res["handed_off"] != false {
		t.Errorf("cancel = %v", res)
	}
	queues := env.must(200, "GET", "/v1/agent/queues", ann, nil)["queues"].([]any)
	for _, q := range queues {
		if n := q.(map[string]any)["waiting"]; n != float64(0) {
			t.Errorf("queue %v still has someone waiting", q)
		}
	}

	// The workspace: customer view, transcript, quick replies (none in this bot), suggestions (no knowledge).
	// A customer the embedding site vouches for: what an agent may read of them
	// is theirs once the agent takes the conversation.
	exp := time.Now().Add(time.Hour).Unix()
	identity := map[string]any{"email": "cy@example.com", "expires": exp, "signature": SignIdentity(inboxIdentitySecret, "cy@example.com", "", exp)}
	out := env.must(201, "POST", "/v1/conversations", "", map[string]any{"channel": "web", "identity": identity, "customer": map[string]any{"name": "Cy"}})
	c3, t3 := out["conversation_id"].(string), out["token"].(string)
	env.say(c3, t3, "human please")
	hid := env.handoffID(c3)
	bob := env.agent("bob", "Bob", "general")
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/claim", ann, nil)
	detail := env.must(200, "GET", "/v1/agent/handoffs/"+hid, ann, nil)
	cust := detail["customer"].(map[string]any)
	if cust["profile"].(map[string]any)["name"] != "Cy" {
		t.Errorf("handoff customer = %v, want the name kept on the profile", cust)
	}
	view := env.must(200, "GET", "/v1/agent/customers/"+cust["id"].(string), ann, nil)
	if convs := view["conversations"].([]any); len(convs) != 1 || convs[0].(map[string]any)["id"] != c3 {
		t.Errorf("customer view conversations = %v", view["conversations"])
	}
	// Another agent reads neither the customer nor their conversations.
	if code, _ := env.call("GET", "/v1/agent/customers/"+cust["id"].(string), bob, nil); code != http.StatusNotFound {
		t.Errorf("another agent reading the customer = %d, want 404", code)
	}
	if code, _ := env.call("GET", "/v1/agent/conversations/"+c3+"/transcript", bob, nil); code != http.StatusNotFound {
		t.Errorf("another agent reading the transcript = %d, want 404", code)
	}
	env.must(200, "GET", "/v1/agent/customers/"+cust["id"].(string), inboxAdmin, nil)
	tr := env.must(200, "GET", "/v1/agent/conversations/"+c3+"/transcript", ann, nil)
	if len(tr["items"].([]any)) == 0 {
		t.Errorf("agent transcript = %v", tr)
	}
	env.must(200, "GET", "/v1/agent/handoffs/"+hid+"/quick-replies?q=x", ann, nil)
	env.must(200, "GET", "/v1/agent/handoffs/"+hid+"/suggestions", ann, nil)
	if code, _ := env.call("GET", "/v1/agent/customers/nobody", ann, nil); code != http.StatusNotFound {
		t.Errorf("unknown customer = %d, want 404", code)
	}
	if code, _ := env.call("GET", "/v1/agent/customers/"+cust["id"].(string), t3, nil); code != http.StatusUnauthorized {
		t.Errorf("a customer reading the customer view = %d, want 401", code)
	}
}
