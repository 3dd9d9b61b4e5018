package plan

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/dialog"
)

// The inputs of a log: a customer message opened by an abandoned effect and
// an expired session, its call's result, an agent who closes with a survey,
// a score given with the buttons, a refused action, and a log cut short.
func TestSplitInputs(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	msg := &dialog.MessageRecord{Text: "refund AB123456"}
	events := []dialog.Event{
		{Type: dialog.EventError, Abandon: true, At: at},                                               // 0: customer
		{Type: dialog.EventSessionExpired, At: at},                                                     // 1
		{Type: dialog.EventMessageReceived, Message: msg, At: at},                                      // 2
		{Type: dialog.EventCallRequested, At: at},                                                      // 3
		{Type: dialog.EventCallCompleted, At: at},                                                      // 4
		{Type: dialog.EventHandoffRequested, At: at},                                                   // 5
		{Type: dialog.EventAgentJoined, Agent: "ann", At: at},                                          // 6: agent
		{Type: dialog.EventHandoffClosed, Agent: "ann", At: at},                                        // 7: agent, closing
		{Type: dialog.EventSurveyRequested, At: at},                                                    // 8
		{Type: dialog.EventReplySent, At: at},                                                          // 9
		{Type: dialog.EventSatisfactionRecorded, Score: 4, At: at},                                     // 10: the buttons
		{Type: dialog.EventError, Error: "a satisfaction score came when no survey was asked", At: at}, // 11: refused
		{Type: dialog.EventSessionExpired, At: at},                                                     // 12: cut short
	}
	got := splitInputs(events)
	type view struct {
		Kind       inputKind
		First, End int
		Text       string
		Agent      string
		Survey     bool
		Score      int
	}
	var views []view
	for _, in := range got {
		v := view{Kind: in.kind, First: in.first, End: in.end}
		if in.message != nil {
			v.Text = in.message.Text
		}
		if in.agent != nil {
			v.Agent, v.Survey = in.agent.Kind, in.agent.Survey
		}
		if in.satisfaction != nil {
			v.Score = in.satisfaction.Score
		}
		views = append(views, v)
	}
	want := []view{
		{Kind: fromCustomer, First: 0, End: 6, Text: "refund AB123456"},
		{Kind: fromAgent, First: 6, End: 7, Agent: dialog.AgentJoined},
		{Kind: fromAgent, First: 7, End: 10, Agent: dialog.AgentClosed, Survey: true},
		{Kind: satisfaction, First: 10, End: 11, Score: 4},
		{Kind: refused, First: 11, End: 12},
		{Kind: fromCustomer, First: 12, End: 13},
	}
	if diff := cmp.Diff(want, views); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
}
