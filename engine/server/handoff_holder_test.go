package server

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
)

// A waiting handoff is nobody's: an agent claims it before transferring,
// handing back or closing it (a close asks the customer to rate a talk that
// never happened). Supervisors may act on it as it is.
func TestWaitingHandoffNeedsAClaim(t *testing.T) {
	env := newInbox(t)
	bo := env.agent("bo", "Bo", "general")
	sup := env.must(201, "POST", "/v1/admin/agents", inboxAdmin, map[string]any{"id": "sue", "name": "Sue", "role": "supervisor"})["key"].(string)

	for _, tc := range []struct {
		action string
		body   map[string]any
		who    string
		cred   string
		want   int
	}{
		{"transfer", map[string]any{"queue": "billing"}, "agent", bo, 409},
		{"handback", nil, "agent", bo, 409},
		{"close", nil, "agent", bo, 409},
		{"transfer", map[string]any{"queue": "billing"}, "supervisor", sup, 200},
		{"close", nil, "supervisor", sup, 200},
	} {
		t.Run(tc.action+" by "+tc.who, func(t *testing.T) {
			id, token := env.conversation()
			env.say(id, token, "human please")
			hid := env.handoffID(id)
			before := env.items(id, token)
			code, _ := env.call("POST", "/v1/agent/handoffs/"+hid+"/"+tc.action, tc.cred, tc.body)
			if code != tc.want {
				t.Fatalf("status = %d, want %d", code, tc.want)
			}
			if tc.want != 200 {
				if diff := cmp.Diff(before, env.items(id, token)); diff != "" {
					t.Errorf("a refused %s changed the transcript (-before +after):\n%s", tc.action, diff)
				}
			}
		})
	}
}

// A double click on claim or transfer is one action: one history entry, one
// line in the transcript; the audit trail records the repeat as one.
func TestRepeatedHandoffActionIsOne(t *testing.T) {
	env := newInbox(t)
	ann := env.agent("ann", "Ann", "general")
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		prepare []string // actions before the repeated one
		action  string
		body    map[string]any
	}{
		{"claim", nil, "claim", nil},
		{"transfer", []string{"claim"}, "transfer", map[string]any{"queue": "billing"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, token := env.conversation()
			env.say(id, token, "human please")
			hid := env.handoffID(id)
			for _, a := range tc.prepare {
				env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/"+a, ann, nil)
			}
			env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/"+tc.action, ann, tc.body)
			h1 := slices.Clone(env.handoff(ctx, id).History)
			items := env.items(id, token)
			env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/"+tc.action, ann, tc.body)
			h2 := env.handoff(ctx, id).History
			if diff := cmp.Diff(h1, h2); diff != "" {
				t.Errorf("history after the repeat (-first +repeat):\n%s", diff)
			}
			if diff := cmp.Diff(items, env.items(id, token)); diff != "" {
				t.Errorf("transcript after the repeat (-first +repeat):\n%s", diff)
			}
			if got, want := lastAudit(t, env, id), "handoff."+tc.action+".repeat"; got != want {
				t.Errorf("last audit action = %q, want %q", got, want)
			}
		})
	}
}

func lastAudit(t *testing.T, env *inboxEnv, conversation string) string {
	t.Helper()
	out := env.must(200, "GET", "/v1/audit?conversation="+conversation, inboxAdmin, nil)
	entries, _ := out["entries"].([]any)
	if len(entries) == 0 {
		return ""
	}
	return entries[len(entries)-1].(map[string]any)["action"].(string)
}

func (env *inboxEnv) handoff(ctx context.Context, conversation string) store.Handoff {
	env.t.Helper()
	hs, err := env.store.Handoffs(ctx, store.HandoffFilter{ConversationID: conversation})
	if err != nil || len(hs) != 1 {
		env.t.Fatalf("handoffs of %s = %v, %v; want one", conversation, hs, err)
	}
	return hs[0]
}

// The legacy hand-back records who acted from the key, never from the body: a
// supervisor's key must not write another agent's name into the audit trail.
func TestHandBackIsTheKeysAgent(t *testing.T) {
	env := newInbox(t)
	env.agent("bo", "Bo", "general")
	sup := env.must(201, "POST", "/v1/admin/agents", inboxAdmin, map[string]any{"id": "sue", "name": "Sue", "role": "supervisor"})["key"].(string)
	for _, tc := range []struct {
		name string
		body map[string]any
	}{
		{"naming another agent", map[string]any{"agent": "bo", "note": "bye"}},
		{"naming nobody", map[string]any{"note": "bye"}},
		{"no body", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, token := env.conversation()
			env.say(id, token, "human please")
			env.must(200, "POST", "/v1/conversations/"+id+"/handback", sup, tc.body)
			h := env.handoff(context.Background(), id)
			got := []string{h.Status, h.History[len(h.History)-1].Actor}
			if diff := cmp.Diff([]string{"returned", "agent:sue"}, got); diff != "" {
				t.Errorf("handoff status and actor (-want +got):\n%s", diff)
			}
			out := env.must(200, "GET", "/v1/audit?action=handoff.return&conversation="+id, inboxAdmin, nil)
			var actors []string
			for _, e := range out["entries"].([]any) {
				actors = append(actors, e.(map[string]any)["actor"].(string))
			}
			if diff := cmp.Diff([]string{"agent:sue"}, actors); diff != "" {
				t.Errorf("audit actors (-want +got):\n%s", diff)
			}
		})
	}
}

// What the console shows beside a handoff follows handoffAccess: the
// knowledge suggestions quote the customer's last messages (any agent may
// preview a waiting handoff), the quick replies come filled in with their name
// and slots (for who replies). Another agent's handoff shows no text.
func TestWorkspaceFollowsHandoffAccess(t *testing.T) {
	env := newInbox(t)
	ann := env.agent("ann", "Ann", "general")
	bo := env.agent("bo", "Bo", "general")
	sup := env.must(201, "POST", "/v1/admin/agents", inboxAdmin, map[string]any{"id": "sue", "name": "Sue", "role": "supervisor"})["key"].(string)
	waiting, token := env.conversation()
	env.say(waiting, token, "human please")
	held, token := env.conversation()
	env.say(held, token, "human please")
	env.must(200, "POST", "/v1/agent/handoffs/"+env.handoffID(held)+"/claim", ann, nil)
	env.say(held, token, "my card 4111111111111111 was charged twice")

	for _, tc := range []struct {
		handoff, who, cred string
		want               [2]int // suggestions, quick replies
	}{
		{"waiting", "another agent", bo, [2]int{200, 403}},
		{"held by ann", "ann", ann, [2]int{200, 200}},
		{"held by ann", "another agent", bo, [2]int{403, 403}},
		{"held by ann", "a supervisor", sup, [2]int{200, 200}},
	} {
		t.Run(tc.handoff+", "+tc.who, func(t *testing.T) {
			hid := env.handoffID(map[string]string{"waiting": waiting, "held by ann": held}[tc.handoff])
			var got [2]int
			got[0], _ = env.call("GET", "/v1/agent/handoffs/"+hid+"/suggestions", tc.cred, nil)
			got[1], _ = env.call("GET", "/v1/agent/handoffs/"+hid+"/quick-replies", tc.cred, nil)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("statuses of suggestions, quick replies (-want +got):\n%s", diff)
			}
		})
	}
}
