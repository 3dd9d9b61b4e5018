package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestNotesNeedTheHolder: an internal note is the holder's (or a
// supervisor's) to add while the handoff is assigned, like a reply. Any agent
// could add one to any handoff, another agent's or a closed one.
func TestNotesNeedTheHolder(t *testing.T) {
	env := newInbox(t)
	ann := env.agent("ann", "Ann")
	bo := env.agent("bo", "Bo")
	sue := env.must(201, "POST", "/v1/admin/agents", inboxAdmin, map[string]any{"id": "sue", "name": "Sue", "role": "supervisor"})["key"].(string)
	id, token := env.conversation()
	env.say(id, token, "human please")
	hid := env.handoffID(id)
	note := func(key string) int {
		code, _ := env.call("POST", "/v1/agent/handoffs/"+hid+"/note", key, map[string]any{"text": "checked the order"})
		return code
	}
	if got := note(ann); got != http.StatusConflict {
		t.Errorf("a note on a waiting handoff = %d, want 409 (claim it first)", got)
	}
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/claim", ann, nil)
	if got := note(bo); got != http.StatusForbidden {
		t.Errorf("another agent's note = %d, want 403", got)
	}
	if got := note(ann); got != http.StatusOK {
		t.Errorf("the holder's note = %d, want 200", got)
	}
	if got := note(sue); got != http.StatusOK {
		t.Errorf("a supervisor's note = %d, want 200", got)
	}
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/close", ann, map[string]any{"note": "done"})
	code, body := env.call("POST", "/v1/agent/handoffs/"+hid+"/note", ann, map[string]any{"text": "checked the order"})
	if code != http.StatusConflict {
		t.Errorf("a note on a closed handoff = %d, want 409", code)
	}
	// A closed handoff cannot be claimed: the refusal must not say to.
	msg, _ := body["error"].(map[string]any)["message"].(string)
	if want := "is closed"; !strings.Contains(msg, want) || strings.Contains(msg, "claim") {
		t.Errorf("a note on a closed handoff says %q, want it to say it %s and not to claim it", msg, want)
	}
}

// TestHandoffReadAccess: who reads a handoff's transcript and the customer's
// identities (see handoffAccess).
func TestHandoffReadAccess(t *testing.T) {
	env := newInbox(t)
	ann := env.agent("ann", "Ann")
	bo := env.agent("bo", "Bo")
	sue := env.must(201, "POST", "/v1/admin/agents", inboxAdmin, map[string]any{"id": "sue", "name": "Sue", "role": "supervisor"})["key"].(string)
	// A WhatsApp customer, with a phone number as their channel identity.
	env.must(200, "POST", "/v1/conversations/wa-1/messages", inboxAdmin, map[string]any{"text": "human please", "channel": "whatsapp", "customer_id": "+8613800138000"})
	hid := env.handoffID("wa-1")
	view := func(key string) (transcript, identities int) {
		t.Helper()
		out := env.must(200, "GET", "/v1/agent/handoffs/"+hid, key, nil)
		if tr, ok := out["transcript"].([]any); ok {
			transcript = len(tr)
		}
		if c, ok := out["customer"].(map[string]any); ok {
			if ids, ok := c["identities"].([]any); ok {
				identities = len(ids)
			}
		}
		return transcript, identities
	}
	check := func(when, who, key string, wantTranscript, wantIdentities bool) {
		t.Helper()
		tr, ids := view(key)
		if (tr > 0) != wantTranscript || (ids > 0) != wantIdentities {
			t.Errorf("%s, %s sees %d transcript items and %d identities; want transcript %v, identities %v", when, who, tr, ids, wantTranscript, wantIdentities)
		}
	}
	check("waiting", "any agent", bo, true, false)
	check("waiting", "a supervisor", sue, true, true)
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/claim", ann, nil)
	check("assigned", "the holder", ann, true, true)
	check("assigned", "another agent", bo, false, false)
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/close", ann, map[string]any{"note": "the customer's phone is +8613800138000"})
	check("closed", "who held it", ann, true, true)
	check("closed", "another agent", bo, false, false)
	check("closed", "a supervisor", sue, true, true)
	// Lists follow the same rules: no transcript copy, slots or notes of
	// others' handoffs.
	list := env.must(200, "GET", "/v1/agent/handoffs?status=closed", bo, nil)["handoffs"].([]any)
	h := list[0].(map[string]any)
	if h["transcript"] != nil || h["summary"] != "" || h["customer_id"] != "" {
		t.Errorf("another agent's list shows %v", h)
	}
	for _, ch := range h["history"].([]any) {
		if note := ch.(map[string]any)["note"]; note != "" {
			t.Errorf("another agent's list shows the note %q", note)
		}
	}
	if code, _ := env.call("GET", "/v1/handoffs", bo, nil); code != http.StatusForbidden {
		t.Errorf("the raw handoff records for an agent = %d, want 403", code)
	}
}
