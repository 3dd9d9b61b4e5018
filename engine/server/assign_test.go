package server

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A supervisor gives a waiting conversation to one agent and then moves it
// to another, as a team lead covering for someone busy does; the customer
// sees each join, the agent who lost it can no longer reply, and agents
// can't assign at all.
func TestInboxAssign(t *testing.T) {
	env := newInbox(t)
	ann := env.agent("ann", "Ann", "general")
	bo := env.agent("bo", "Bo", "general")
	sue := env.must(201, "POST", "/v1/admin/agents", inboxAdmin, map[string]any{"id": "sue", "name": "Sue", "role": "supervisor"})["key"].(string)
	id, token := env.conversation()
	env.say(id, token, "human please")
	path := "/v1/agent/handoffs/" + env.handoffID(id) + "/assign"

	for _, tc := range []struct {
		name, cred string
		body       map[string]any
		want       int
		holder     string
	}{
		{"an agent may not assign", ann, map[string]any{"agent": "ann"}, http.StatusForbidden, ""},
		{"nobody named", sue, map[string]any{}, http.StatusBadRequest, ""},
		{"no such agent", sue, map[string]any{"agent": "zed"}, http.StatusBadRequest, ""},
		{"to ann", sue, map[string]any{"agent": "ann", "note": "she knows this customer"}, http.StatusOK, "ann"},
		{"a double click", sue, map[string]any{"agent": "ann"}, http.StatusOK, "ann"},
		{"moved to bo", sue, map[string]any{"agent": "bo"}, http.StatusOK, "bo"},
	} {
		code, out := env.call("POST", path, tc.cred, tc.body)
		if code != tc.want {
			t.Errorf("%s: %d %v, want %d", tc.name, code, out, tc.want)
		}
		if code == http.StatusOK && out["agent"] != tc.holder {
			t.Errorf("%s: held by %v, want %s", tc.name, out["agent"], tc.holder)
		}
	}
	hid := env.handoffID(id)
	if code, _ := env.call("POST", "/v1/agent/handoffs/"+hid+"/reply", ann, map[string]any{"text": "still here"}); code != http.StatusForbidden {
		t.Errorf("a reply by the agent who lost it = %d, want 403", code)
	}
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/reply", bo, map[string]any{"text": "Hi, Bo here."})
	want := []string{
		"customer:message:human please",
		"bot:message:Connecting you to a colleague.",
		"system:handoff:",
		"system:agent_joined:",
		"system:agent_joined:",
		"agent:message:Hi, Bo here.",
	}
	if diff := cmp.Diff(want, env.items(id, token)); diff != "" {
		t.Errorf("customer transcript (-want +got):\n%s", diff)
	}
}
