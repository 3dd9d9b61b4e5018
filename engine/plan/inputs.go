package plan

import (
	"strings"
	"time"

	"github.com/parleyhq/parley/dialog"
)

// inputKind is what came into a conversation from outside: the engine calls
// dialog.Step once for each, then again for each result its effects bring.
type inputKind int

const (
	fromCustomer inputKind = iota + 1
	fromAgent
	handBack
	satisfaction
	approval     // a person's decision on an approval the bot asked for
	ticketUpdate // the customer's ticket moved on
	leaveQueue   // the customer pressed "Leave the queue"
	// refused: an agent's action, a survey answer or a decision the dialog
	// turned away with nothing but an error event. The replay keeps the
	// event, so the two logs number their events alike.
	refused
)

// input is one thing that came into a recorded conversation, with the events
// it led to: events[first:end] of the log.
type input struct {
	kind       inputKind
	at         time.Time
	first, end int

	message      *dialog.MessageRecord
	agent        *dialog.AgentAction
	handBack     *dialog.HandBack
	satisfaction *dialog.SatisfactionAnswer
	approval     *dialog.ApprovalDecision
	ticket       *dialog.TicketUpdate
}

// splitInputs finds the inputs of a conversation's log. Step opens a customer
// message with the abandoned effect it notices (error with Abandon) and the
// expired session, then message_received; a decision on an approval may be
// opened by an abandoned effect too. An agent's action, a hand-back, a survey
// answer given outside the chat and a ticket update open with their own
// event. Everything else follows from the input before it: call results,
// tickets, surveys the engine asked for. Events before any input belong to
// none.
func splitInputs(events []dialog.Event) []input {
	var out []input
	// opening: an input opened by an abandoned effect or an expiry, still
	// waiting for the event that says what it is.
	opening := false
	start := func(in input, i int) {
		if n := len(out); n > 0 {
			out[n-1].end = i
		}
		in.first, in.at = i, events[i].At
		out = append(out, in)
	}
	for i, ev := range events {
		switch ev.Type {
		case dialog.EventError:
			if ev.Abandon {
				start(input{kind: fromCustomer}, i)
				opening = true
				continue
			}
			if refusedInput(ev.Error) {
				start(input{kind: refused}, i)
			}
		case dialog.EventSessionExpired:
			if !opening {
				start(input{kind: fromCustomer}, i)
			}
			opening = true
			continue
		case dialog.EventMessageReceived:
			if !opening {
				start(input{kind: fromCustomer}, i)
			}
			out[len(out)-1].kind = fromCustomer
			out[len(out)-1].message = ev.Message
			if out[len(out)-1].message == nil {
				out[len(out)-1].message = &dialog.MessageRecord{}
			}
		case dialog.EventApprovalDecided:
			if !opening {
				start(input{}, i)
			}
			in := &out[len(out)-1]
			in.kind = approval
			in.approval = &dialog.ApprovalDecision{Agent: ev.Agent, Note: ev.Note}
			if a := ev.Approval; a != nil {
				in.approval.Request, in.approval.ApprovalID, in.approval.Decision = a.Request, a.ID, a.Decision
			}
		case dialog.EventTicketUpdated:
			start(input{kind: ticketUpdate, ticket: ev.Ticket}, i)
		case dialog.EventQueueLeft:
			// "cancel" typed in the chat follows its message; the button is an
			// input of its own.
			if i == 0 || events[i-1].Type != dialog.EventMessageReceived {
				start(input{kind: leaveQueue}, i)
			}
		case dialog.EventAgentJoined, dialog.EventAgentMessage, dialog.EventAgentNote, dialog.EventHandoffTransferred, dialog.EventHandoffClosed:
			start(input{kind: fromAgent, agent: agentAction(ev)}, i)
		case dialog.EventHandedBack:
			start(input{kind: handBack, handBack: &dialog.HandBack{Agent: ev.Agent, Note: ev.Note}}, i)
		case dialog.EventSatisfactionRecorded:
			// A score typed in the chat follows its message; one given with the
			// rating buttons is an input of its own.
			if i == 0 || events[i-1].Type != dialog.EventMessageReceived {
				start(input{kind: satisfaction, satisfaction: &dialog.SatisfactionAnswer{Score: ev.Score, Comment: ev.Comment}}, i)
			}
		case dialog.EventSurveyRequested:
			// An agent who closes may ask for a score as they close.
			if n := len(out); n > 0 && out[n-1].kind == fromAgent && out[n-1].agent.Kind == dialog.AgentClosed && i == out[n-1].first+1 {
				out[n-1].agent.Survey = true
			}
		}
		opening = false
	}
	if n := len(out); n > 0 {
		out[n-1].end = len(events)
	}
	return out
}

// refusedInput recognises the errors of dialog.Step that answer a whole
// input (onAgent, onSatisfaction) rather than part of one.
func refusedInput(msg string) bool {
	for _, prefix := range []string{"agent action ", "unknown agent action ", "satisfaction score ", "a satisfaction score came when no survey was asked",
		"approval ", "unknown decision ", "the customer asked to leave the queue"} {
		if strings.HasPrefix(msg, prefix) {
			return true
		}
	}
	return false
}

func agentAction(ev dialog.Event) *dialog.AgentAction {
	a := &dialog.AgentAction{Agent: ev.Agent, Name: ev.AgentName}
	switch ev.Type {
	case dialog.EventAgentJoined:
		a.Kind = dialog.AgentJoined
	case dialog.EventAgentMessage:
		a.Kind, a.Text = dialog.AgentMessage, ev.Text
	case dialog.EventAgentNote:
		a.Kind, a.Text = dialog.AgentNote, ev.Text
	case dialog.EventHandoffTransferred:
		a.Kind, a.Queue, a.Text = dialog.AgentTransferred, ev.Queue, ev.Note
	case dialog.EventHandoffClosed:
		a.Kind, a.Text = dialog.AgentClosed, ev.Note
	}
	return a
}
