package desk

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/store"
)

// An agent's client id is scoped to the agent: a supervisor who joins and
// happens to send the id the holder sent is a second message, not a retry of
// the first; each agent's own retry is still one message, and so is a retry
// of a message sent under the key before it was scoped.
func TestAgentReplyKeyIsPerAgent(t *testing.T) {
	s := newShop(t)
	ann := s.agent("ann", 2, "")
	if _, err := s.d.CreateAgent(s.ctx, s.admin, NewAgent{ID: "sue", Name: "Sue", Role: RoleSupervisor}, store.HashAPIKey("key-sue")); err != nil {
		t.Fatal(err)
	}
	sue, err := s.st.Agent(s.ctx, "sue")
	if err != nil {
		t.Fatal(err)
	}
	id := s.handedOff("I want to talk to a human")
	if _, err := s.d.Claim(s.ctx, id, ann, "agent:ann"); err != nil {
		t.Fatal(err)
	}
	// Sent before the key was scoped: a retry of it is still one message.
	if _, err := s.e.Act(s.ctx, "c1", "agent-reply:old", dialog.Input{Agent: &dialog.AgentAction{Kind: dialog.AgentMessage, Agent: "ann", Name: "Ann", Text: "Hello"}}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		agent     store.Agent
		text, key string
		note      bool
		duplicate bool
	}{
		{ann, "Let me check", "1", false, false},
		{sue, "Let me check", "1", false, false}, // the same id and text from another agent
		{ann, "Let me check", "1", false, true},  // ann's retry
		{sue, "Let me check", "1", false, true},  // sue's retry
		{ann, "Hello", "old", false, true},       // a retry across the change
		{ann, "for sue", "n1", true, false},
		{sue, "for sue", "n1", true, false},
	}
	for _, st := range steps {
		send := s.d.AgentReply
		if st.note {
			send = s.d.AgentNote
		}
		res, err := send(s.ctx, id, st.agent, st.text, st.key)
		if err != nil {
			t.Fatalf("%s %q (%s): %v", st.agent.ID, st.text, st.key, err)
		}
		if res.Duplicate != st.duplicate {
			t.Errorf("%s %q (%s): duplicate %v, want %v", st.agent.ID, st.text, st.key, res.Duplicate, st.duplicate)
		}
	}
	log, err := s.st.Events(s.ctx, "c1", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var said []string
	for _, se := range log {
		var ev dialog.Event
		if err := json.Unmarshal(se.Data, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Type == dialog.EventAgentMessage || ev.Type == dialog.EventAgentNote {
			said = append(said, ev.Agent+": "+ev.Text)
		}
	}
	want := []string{"ann: Hello", "ann: Let me check", "sue: Let me check", "ann: for sue", "sue: for sue"}
	if diff := cmp.Diff(want, said); diff != "" {
		t.Errorf("agent messages (-want +got):\n%s", diff)
	}
}
