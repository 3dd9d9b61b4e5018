package dialog

import (
	"time"

	"github.com/parleyhq/parley/policies"
)

// EventTicketUpdated: the customer's ticket moved on (Ticket); what they were
// told follows as a reply.
const EventTicketUpdated = "ticket_updated"

// TicketUpdate is a ticket event to tell the customer about: created, open,
// pending, solved, closed or reopened, with the ticket as it is now; or an
// agent's public reply on the ticket (TicketReply), which the customer reads
// as the agent's message and the bot says nothing of.
type TicketUpdate struct {
	Event    string `json:"event"`
	ID       string `json:"id"`
	Subject  string `json:"subject,omitempty"`
	Status   string `json:"status,omitempty"`
	Queue    string `json:"queue,omitempty"`
	Priority string `json:"priority,omitempty"`
	// Reply is the agent's words for TicketReply, AgentName who wrote them.
	Reply     string `json:"reply,omitempty"`
	AgentName string `json:"agent_name,omitempty"`
}

// TicketReply is the event of an agent's public reply on a ticket: not one
// of the notify block's events (policies.TicketEvents), so the bot adds
// nothing to it.
const TicketReply = "reply"

func (u TicketUpdate) info() *policies.TicketInfo {
	return &policies.TicketInfo{ID: u.ID, Subject: u.Subject, Status: u.Status, Queue: u.Queue, Priority: u.Priority}
}

// onTicketUpdate records a ticket event in the conversation that opened the
// ticket and says the bot's notice for it, if it has one.
func (d *decider) onTicketUpdate(u TicketUpdate) {
	d.emit(Event{Type: EventTicketUpdated, TicketID: u.ID, Ticket: &u})
	m := d.bot.TicketNotice(u.Event)
	if m == nil {
		return
	}
	d.ticket = u.info()
	d.scopeChanged()
	d.say(m)
	d.ticket = nil
	d.scopeChanged()
}

// TicketNotice is what a customer without a conversation (a ticket from
// email, the web form or the API) is told of a ticket event, in language:
// the bot's notice rendered as a conversation would; false when the bot has
// none or it can't be rendered.
func TicketNotice(bot *policies.Bot, language string, u TicketUpdate, now time.Time) (Reply, bool) {
	m := bot.TicketNotice(u.Event)
	if m == nil {
		return Reply{}, false
	}
	d := &decider{bot: bot, st: State{ConversationID: "ticket/" + u.ID, Language: language}, in: Input{Now: now}, ticket: u.info()}
	text, ok := d.render(m)
	if !ok {
		return Reply{}, false
	}
	return Reply{Text: text, Response: m.Name, Buttons: buttons(bot, m, d.lang())}, true
}
