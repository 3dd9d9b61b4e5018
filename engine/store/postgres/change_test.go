package postgres

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
)

// TestChangeOfMarksQueueChanges: other instances refresh their queue views
// when a turn moved a conversation in or out of a queue, including an agent's
// claim or transfer, which changes the handoff row before the turn records it.
func TestChangeOfMarksQueueChanges(t *testing.T) {
	for _, tc := range []struct {
		name string
		rec  store.TurnRecord
		want store.Change
	}{
		{"a bot turn", store.TurnRecord{Status: "active", Events: []store.Event{{Type: "message_received"}}}, store.Change{ConversationID: "c1"}},
		{"a handoff opened", store.TurnRecord{Status: "handed_off", Handoffs: []store.Handoff{{ID: "h1"}}}, store.Change{ConversationID: "c1", Handoff: true, HandedOff: true}},
		{"an agent's claim", store.TurnRecord{Status: "handed_off", Events: []store.Event{{Type: "agent_joined"}}}, store.Change{ConversationID: "c1", Handoff: true, HandedOff: true}},
		{"a transfer", store.TurnRecord{Status: "handed_off", Events: []store.Event{{Type: "handoff_transferred"}}}, store.Change{ConversationID: "c1", Handoff: true, HandedOff: true}},
		{"an agent's message", store.TurnRecord{Status: "handed_off", Events: []store.Event{{Type: "agent_message"}}}, store.Change{ConversationID: "c1", HandedOff: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, changeOf("c1", tc.rec)); diff != "" {
				t.Errorf("change (-want +got):\n%s", diff)
			}
		})
	}
}
