package desk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
)

// historyLimit bounds what a customer view lists of each kind: the newest.
const historyLimit = 50

// CustomerView is everything the console shows about a customer: who they are
// (profile, VIP status and tier, identities on every channel), their past
// conversations on every channel, their tickets and how they rated us.
type CustomerView struct {
	store.Customer
	Conversations []ConversationSummary `json:"conversations"`
	Tickets       []store.Ticket        `json:"tickets"`
	Satisfaction  []Rating              `json:"satisfaction"`
	// AverageScore is the mean of Satisfaction's scores, 0 without any.
	AverageScore float64 `json:"average_score"`
}

// Rating is a satisfaction score the customer gave at the end of a conversation.
type Rating struct {
	ConversationID string    `json:"conversation_id"`
	Score          int       `json:"score"`
	Comment        string    `json:"comment"`
	At             time.Time `json:"at"`
}

// ConversationSummary is one past or current conversation of a customer.
type ConversationSummary struct {
	ID        string    `json:"id"`
	Channel   string    `json:"channel"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Handoffs of the conversation: the queues it went to and who took it.
	Handoffs []HandoffSummary `json:"handoffs"`
	Score    int              `json:"score,omitempty"` // the satisfaction score given, 0 for none
}

// HandoffSummary is a handoff as a customer's history shows it.
type HandoffSummary struct {
	ID      string `json:"id"`
	Queue   string `json:"queue"`
	Status  string `json:"status"`
	Agent   string `json:"agent"`
	Summary string `json:"summary"`
}

// Customer is the customer view of customer id, newest conversations first.
func (d *Desk) Customer(ctx context.Context, id string) (CustomerView, error) {
	st := d.e.Store()
	cust, err := st.Customer(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return CustomerView{}, fmt.Errorf("customer %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return CustomerView{}, err
	}
	v := CustomerView{Customer: cust, Conversations: []ConversationSummary{}}
	if v.Identities == nil {
		v.Identities = []store.Identity{}
	}
	convs, err := st.CustomerConversations(ctx, id, historyLimit)
	if err != nil {
		return v, fmt.Errorf("conversations of %s: %w", id, err)
	}
	handoffs, err := st.Handoffs(ctx, store.HandoffFilter{CustomerID: id})
	if err != nil {
		return v, fmt.Errorf("handoffs of %s: %w", id, err)
	}
	byConv := map[string][]HandoffSummary{}
	for _, h := range handoffs {
		byConv[h.ConversationID] = append(byConv[h.ConversationID], HandoffSummary{ID: h.ID, Queue: h.Queue, Status: h.Status, Agent: h.Agent, Summary: h.Summary})
	}
	if v.Tickets, err = st.Tickets(ctx, store.TicketFilter{CustomerID: id, Limit: historyLimit}); err != nil {
		return v, fmt.Errorf("tickets of %s: %w", id, err)
	}
	ratings, err := st.Satisfaction(ctx, store.SatisfactionFilter{CustomerID: id, Limit: historyLimit})
	if err != nil {
		return v, fmt.Errorf("ratings of %s: %w", id, err)
	}
	v.Satisfaction = []Rating{}
	scores := map[string]int{}
	total := 0
	for _, r := range ratings {
		v.Satisfaction = append(v.Satisfaction, Rating{ConversationID: r.ConversationID, Score: r.Score, Comment: r.Comment, At: r.At})
		scores[r.ConversationID] = r.Score
		total += r.Score
	}
	if n := len(v.Satisfaction); n > 0 {
		v.AverageScore = float64(total) / float64(n)
	}
	for i := len(convs) - 1; i >= 0; i-- {
		c := convs[i]
		hs := byConv[c.ID]
		if hs == nil {
			hs = []HandoffSummary{}
		}
		v.Conversations = append(v.Conversations, ConversationSummary{ID: c.ID, Channel: c.Channel, Status: c.Status,
			CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Handoffs: hs, Score: scores[c.ID]})
	}
	if v.Tickets == nil {
		v.Tickets = []store.Ticket{}
	}
	for i := range v.Tickets {
		v.Tickets[i].History = History(v.Tickets[i])
	}
	return v, nil
}

// ConversationTranscript is a conversation as agents see it (with internal
// notes), for a customer's history.
func (d *Desk) ConversationTranscript(ctx context.Context, id string) ([]engine.Item, error) {
	evs, err := d.e.Store().Events(ctx, id, 0, 0)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("conversation %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return engine.Transcript(evs, true)
}
