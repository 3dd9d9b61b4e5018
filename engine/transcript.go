package engine

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/store"
)

// Item is one line of a conversation as people see it: what the customer wrote,
// what the bot or an agent answered, and what happened (an agent joined).
type Item struct {
	Seq  int64  `json:"seq"`
	From string `json:"from"` // customer, bot, agent, system
	Kind string `json:"kind"` // message, agent_joined, agent_left, handoff, survey, note
	// Text is what was said; for agent_left it is "closed" or "returned" (to the bot).
	Text      string    `json:"text"`
	Buttons   []Button  `json:"buttons,omitempty"`
	AgentName string    `json:"agent_name,omitempty"`
	At        time.Time `json:"at"`
}

// Item kinds.
const (
	KindMessage     = "message"
	KindAgentJoined = "agent_joined"
	KindAgentLeft   = "agent_left"
	KindHandoff     = "handoff"
	KindSurvey      = "survey"
	KindNote        = "note" // internal: agents only
)

// Transcript turns a conversation's event log into the items people see. Notes
// are internal to agents and appear only with withNotes.
func Transcript(events []store.Event, withNotes bool) ([]Item, error) {
	items := []Item{}
	surveying := false
	for _, se := range events {
		var ev dialog.Event
		if err := json.Unmarshal(se.Data, &ev); err != nil {
			return nil, fmt.Errorf("decode event %d: %w", se.Seq, err)
		}
		it := Item{Seq: se.Seq, At: ev.At, Kind: KindMessage}
		switch ev.Type {
		case dialog.EventMessageReceived:
			if ev.Message == nil {
				continue
			}
			// A button is shown as the customer saw it: its label, not its payload.
			it.From, it.Text = "customer", firstNonEmpty(ev.Message.Label, ev.Message.Text)
		case dialog.EventReplySent:
			if ev.Effect == nil || ev.Effect.Reply == nil {
				continue
			}
			r := ev.Effect.Reply
			it.From, it.Text = "bot", r.Text
			for _, b := range r.Buttons {
				it.Buttons = append(it.Buttons, Button{Label: b.Label, Payload: b.Payload})
			}
			if surveying {
				it.Kind, surveying = KindSurvey, false
			}
		case dialog.EventSurveyRequested:
			surveying = true
			continue
		case dialog.EventHandoffRequested:
			// Which queue is for agents: "supervisors" or "vip" means nothing
			// good to a customer.
			queue := ""
			if withNotes && ev.Effect != nil && ev.Effect.Handoff != nil {
				queue = ev.Effect.Handoff.Queue
			}
			it.From, it.Kind, it.Text = "system", KindHandoff, queue
		case dialog.EventAgentJoined:
			it.From, it.Kind, it.AgentName = "system", KindAgentJoined, ev.AgentName
		case dialog.EventAgentMessage:
			it.From, it.Text, it.AgentName = "agent", ev.Text, ev.AgentName
		case dialog.EventAgentNote:
			if !withNotes {
				continue
			}
			it.From, it.Kind, it.Text, it.AgentName = "agent", KindNote, ev.Text, ev.AgentName
		case dialog.EventHandedBack:
			it.From, it.Kind, it.AgentName, it.Text = "system", KindAgentLeft, ev.AgentName, "returned"
		case dialog.EventHandoffClosed:
			it.From, it.Kind, it.AgentName, it.Text = "system", KindAgentLeft, ev.AgentName, "closed"
		case dialog.EventTicketUpdated:
			if ev.Ticket != nil && ev.Ticket.Event == dialog.TicketReply {
				// An agent's public reply on the chat's ticket: theirs, to everyone.
				it.From, it.Text, it.AgentName = "agent", ev.Ticket.Reply, ev.Ticket.AgentName
				break
			}
			var ok bool
			if it, ok = deskItem(it, ev, withNotes); !ok {
				continue
			}
		default:
			var ok bool
			if it, ok = deskItem(it, ev, withNotes); !ok {
				continue
			}
		}
		items = append(items, it)
	}
	return items, nil
}
