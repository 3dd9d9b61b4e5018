package desk

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
)

// A supervisor gives a waiting conversation to a named agent, or takes one
// from an agent who holds it and gives it to another: the new holder joins
// the customer's conversation once however often the click is repeated, and
// agents, full agents, disabled agents and closed handoffs are refused.
func TestAssign(t *testing.T) {
	type step struct {
		by, to string
		want   error  // nil: assigned
		holder string // who has it after the step
	}
	for _, tc := range []struct {
		name   string
		claim  string // who claims it first; "" leaves it waiting
		close  bool   // the holder closes it before the steps
		steps  []step
		joined []string // agents who joined the conversation, in order
	}{
		{
			name:   "waiting, then a double click",
			steps:  []step{{by: "sue", to: "ann", holder: "ann"}, {by: "sue", to: "ann", holder: "ann"}},
			joined: []string{"Ann"},
		},
		{
			name:   "reassigned from one agent to another and back",
			claim:  "ann",
			steps:  []step{{by: "sue", to: "bo", holder: "bo"}, {by: "sue", to: "ann", holder: "ann"}},
			joined: []string{"Ann", "Bo", "Ann"},
		},
		{
			name:   "to the agent who claimed it: nothing new",
			claim:  "ann",
			steps:  []step{{by: "sue", to: "ann", holder: "ann"}},
			joined: []string{"Ann"},
		},
		{
			name:   "an agent may not assign",
			claim:  "ann",
			steps:  []step{{by: "bo", to: "bo", want: engine.ErrForbidden, holder: "ann"}},
			joined: []string{"Ann"},
		},
		{
			name:  "nobody, a stranger or a disabled agent",
			steps: []step{{by: "sue", to: "", want: engine.ErrInvalidInput}, {by: "sue", to: "zed", want: engine.ErrInvalidInput}, {by: "sue", to: "off", want: engine.ErrInvalidInput}},
		},
		{
			name:  "an agent at max_chats",
			steps: []step{{by: "sue", to: "full", want: store.ErrConflict}},
		},
		{
			name:   "closed",
			claim:  "ann",
			close:  true,
			steps:  []step{{by: "sue", to: "bo", want: store.ErrConflict, holder: "ann"}},
			joined: []string{"Ann"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newShop(t)
			agents := map[string]store.Agent{
				"ann":  s.agent("ann", 0, "", "customer_service"),
				"bo":   s.agent("bo", 0, "", "customer_service"),
				"full": s.agent("full", 1, "", "customer_service"),
				"off":  s.agent("off", 0, "", "customer_service"),
				"sue":  {ID: "sue", Name: "Sue", Role: RoleSupervisor},
			}
			if _, err := s.d.SetAgentDisabled(s.ctx, s.admin, "off", true); err != nil {
				t.Fatal(err)
			}
			if _, err := s.d.Claim(s.ctx, s.handoff("other").ID, agents["full"], "agent:full"); err != nil {
				t.Fatal(err)
			}
			h := s.handoff("c1")
			if tc.claim != "" {
				if _, err := s.d.Claim(s.ctx, h.ID, agents[tc.claim], "agent:"+tc.claim); err != nil {
					t.Fatal(err)
				}
			}
			if tc.close {
				if _, _, err := s.d.CloseHandoff(s.ctx, h.ID, agents[tc.claim], ""); err != nil {
					t.Fatal(err)
				}
			}
			for i, st := range tc.steps {
				_, err := s.d.Assign(s.ctx, h.ID, agents[st.by], st.to, "")
				if !errors.Is(err, st.want) || (st.want == nil) != (err == nil) {
					t.Errorf("step %d: %s assigns to %q: %v, want %v", i, st.by, st.to, err, st.want)
				}
				got, err := s.d.Handoff(s.ctx, h.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Agent != st.holder {
					t.Errorf("step %d: held by %q, want %q", i, got.Agent, st.holder)
				}
			}
			evs, err := s.st.Events(s.ctx, "c1", 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			items, err := engine.Transcript(evs, false)
			if err != nil {
				t.Fatal(err)
			}
			var joined []string
			for _, it := range items {
				if it.Kind == engine.KindAgentJoined {
					joined = append(joined, it.AgentName)
				}
			}
			if diff := cmp.Diff(tc.joined, joined); diff != "" {
				t.Errorf("agents who joined (-want +got):\n%s", diff)
			}
		})
	}
}
