package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/dialog/outcome"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

// decodeContact reads a conversation's contact state; nil before its first.
func decodeContact(raw json.RawMessage) (*outcome.Contact, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var c outcome.Contact
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("decode contact: %w", err)
	}
	return &c, nil
}

// foldContact folds events (the first at firstSeq) into the conversation's
// contact c and returns the contact after them and those they settled, in order.
func (e *Engine) foldContact(c *outcome.Contact, events []dialog.Event, firstSeq int64, onEvent func(c *outcome.Contact, ev dialog.Event, seq int64)) (*outcome.Contact, []*outcome.Contact) {
	var touched []*outcome.Contact
	owned := false // c is a contact Apply made in this loop, and only c refers to it
	for i, ev := range events {
		seq := firstSeq + int64(i)
		apply := outcome.Apply
		if owned {
			apply = outcome.ApplyOwned
		}
		cur, prev := apply(e.bot, c, ev, seq)
		owned = cur != nil && cur != prev
		if prev != nil {
			touched = append(touched, prev)
		}
		if cur != nil && cur.Seq == seq && (c == nil || c.Seq != seq) {
			// A new contact: the policies serving it now are the ones it records.
			cur.PolicyVersion, cur.PolicyLabel = e.bot.Version, e.policyLabel
		}
		c = cur
		if onEvent != nil && c != nil {
			onEvent(c, ev, seq)
		}
	}
	if c != nil && c.Settled() && c.LastSeq >= firstSeq && len(events) > 0 {
		touched = append(touched, c)
	}
	return c, touched
}

// trackContact adds to the turn's record what its events mean for outcomes:
// the contact state, the outcome rows of contacts it settled or revised, and
// the rules that applied. It runs after finish numbered the events.
func (t *turn) trackContact(events []dialog.Event, firstSeq int64) error {
	before, err := t.storedContact()
	if err != nil {
		return err
	}
	c := before
	channel := firstNonEmpty(t.conv.Channel, t.msg.Channel)
	loc := t.e.bot.Location()
	c, touched := t.e.foldContact(c, events, firstSeq, func(c *outcome.Contact, ev dialog.Event, seq int64) {
		if ev.Type != dialog.EventRuleApplied {
			return
		}
		kind, name := "rule", ev.Rule
		if ev.Rule == "" {
			kind, name = "outcome", ev.Outcome
		}
		day, week, hour := localDay(ev.At, loc)
		t.rec.RuleEvents = append(t.rec.RuleEvents, store.RuleEvent{
			ConversationID: t.msg.ConversationID, Seq: seq, At: ev.At, Kind: kind, Name: name, Dialog: ev.Dialog, Amount: ev.Amount,
			Channel: channel, Language: c.Language, PolicyVersion: c.PolicyVersion, Day: day, Week: week, Hour: hour,
		})
	})
	if c == nil {
		return nil
	}
	if !t.started.IsZero() && len(t.result.Replies) > 0 && c.LastSeq >= firstSeq {
		c.ObserveReply(time.Since(t.started))
		if c.Settled() && len(touched) > 0 && touched[len(touched)-1].Seq == c.Seq {
			touched[len(touched)-1] = c
		}
	}
	raw, err := c.AppendJSON(make([]byte, 0, 512))
	if err != nil {
		return fmt.Errorf("encode contact: %w", err)
	}
	t.rec.Contact = &store.ContactState{State: raw, Due: c.Due(t.e.bot)}
	customer := firstNonEmpty(t.msg.CustomerID, t.conv.CustomerID)
	for _, s := range touched {
		t.rec.Outcomes = append(t.rec.Outcomes, contactRow(t.msg.ConversationID, customer, channel, s, loc, t.e.masker))
		if !(before != nil && before.Seq == s.Seq && before.Settled()) {
			t.newlySettled = append(t.newlySettled, s.Outcome)
		}
	}
	t.contact = c
	return nil
}

// storedContact is the conversation's contact as the store has it (nil
// before its first), decoded once per turn, or not at all when the last turn
// on this instance kept it. Nobody may change it.
func (t *turn) storedContact() (*outcome.Contact, error) {
	if !t.beforeRead {
		c, ok := t.e.states.contact(t.conv, t.conv.Contact)
		if !ok {
			var err error
			if c, err = decodeContact(t.conv.Contact); err != nil {
				return nil, err
			}
		}
		t.before, t.beforeRead = c, true
	}
	return t.before, nil
}

// committed tells the observer what the turn's commit recorded.
func (t *turn) committed() {
	for _, kind := range t.newlySettled {
		t.e.observer.OutcomeRecorded(kind)
	}
	for _, s := range t.rec.Satisfaction {
		t.e.observer.SatisfactionRecorded(s.Score)
	}
}

// localDay is t's date, the Monday of its week and its hour in loc.
func localDay(t time.Time, loc *time.Location) (day, week string, hour int) {
	l := t.In(loc)
	monday := l.AddDate(0, 0, -((int(l.Weekday()) + 6) % 7))
	return l.Format("2006-01-02"), monday.Format("2006-01-02"), l.Hour()
}

func ms(d time.Duration, ok bool) int64 {
	if !ok {
		return -1
	}
	return d.Milliseconds()
}

// contactRow is the outcome row of a settled contact.
func contactRow(conversationID, customerID, channel string, c *outcome.Contact, loc *time.Location, m *policies.Masker) store.Outcome {
	day, week, hour := localDay(c.StartedAt, loc)
	o := store.Outcome{
		ConversationID: conversationID, ContactSeq: c.Seq, LastSeq: c.LastSeq, CustomerID: firstNonEmpty(customerID, conversationID),
		Channel: channel, Language: c.Language, PolicyVersion: c.PolicyVersion, PolicyLabel: c.PolicyLabel,
		StartedAt: c.StartedAt, EndedAt: c.LastActivity, SettledAt: c.SettledAt, Day: day, Week: week, Hour: hour,
		Outcome: c.Outcome, Intent: c.Intent, Dialog: c.Dialog, Queue: c.Queue, Reason: c.Reason, Agent: c.Agent,
		Messages: c.Messages, NotUnderstood: c.NotUnderstood, KBAnswered: c.KBAnswered, Unanswered: c.Unanswered,
		Handoffs: c.Handoffs, Tickets: c.Tickets, TicketQueue: c.TicketQueue, TicketPriority: c.TicketPriority,
		BotReplies: c.Replies, BotReplyMS: c.ReplyMS,
		QueueWaitMS: ms(c.QueueWait()), FirstReplyMS: ms(c.FirstAgentReply()), HandleMS: ms(c.HandlingTime()),
		SurveyAsked: c.SurveyAsked, Score: c.Score, Comment: m.Text(c.Comment),
	}
	if c.Tickets == 0 {
		o.TicketQueue, o.TicketPriority = "", ""
	}
	copy(o.ReplyBuckets[:], c.ReplyBuckets)
	return o
}

// maybeSurvey asks a sample of the customers whose request the bot just
// resolved alone how it went (the bot's survey block, after_bot).
func (t *turn) maybeSurvey(ctx context.Context, st dialog.State, in dialog.Input, events *[]dialog.Event) (dialog.State, error) {
	if sv := t.e.bot.Survey; sv == nil || sv.AfterBot <= 0 {
		return st, nil
	}
	before, err := t.storedContact()
	if err != nil {
		return st, err
	}
	after, _ := t.e.foldContact(before, *events, t.conv.LastSeq+1, nil)
	sampled := outcome.Sampled
	if t.e.surveySample != nil {
		sampled = t.e.surveySample
	}
	if !surveyDue(t.e.bot, st, before, after) || !sampled(t.msg.ConversationID, after.Seq, t.e.bot.Survey.AfterBot) {
		return st, nil
	}
	return t.run(ctx, st, dialog.Input{Now: in.Now, Customer: in.Customer, Survey: true}, events)
}

// SettleDue settles the contacts whose customers went quiet (their session
// timeout passed) as of now, each in its own locked commit, and returns how
// many it settled. Several instances may run it at once: a contact is settled
// once, by whichever takes its lock first.
func (e *Engine) SettleDue(ctx context.Context, limit int) (int, error) {
	now := e.clock()
	ids, err := e.store.DueContacts(ctx, now, limit)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		ok, err := e.settle(ctx, id, now)
		if err != nil {
			return n, fmt.Errorf("settle %s: %w", id, err)
		}
		if ok {
			n++
		}
	}
	return n, nil
}

func (e *Engine) settle(ctx context.Context, id string, now time.Time) (bool, error) {
	tx, err := e.store.Begin(ctx, id)
	if err != nil {
		return false, err
	}
	defer tx.Rollback(ctx)
	conv := tx.Conversation()
	c, err := decodeContact(conv.Contact)
	if err != nil || c == nil {
		return false, err
	}
	due := c.Due(e.bot)
	if due.IsZero() || due.After(now) {
		// Not due by these policies (a reload changed session_timeout, say):
		// record when it is, so the sweeper does not list it again first.
		err := tx.Commit(ctx, store.TurnRecord{ConversationID: id, Contact: &store.ContactState{State: conv.Contact, Due: due}})
		if errors.Is(err, store.ErrConflict) {
			err = nil
		}
		return false, err
	}
	settled := c.Settle(now)
	raw, err := json.Marshal(settled)
	if err != nil {
		return false, fmt.Errorf("encode contact: %w", err)
	}
	rec := store.TurnRecord{
		ConversationID: id,
		Contact:        &store.ContactState{State: raw},
		Outcomes:       []store.Outcome{contactRow(id, conv.CustomerID, conv.Channel, settled, e.bot.Location(), e.masker)},
	}
	if err := tx.Commit(ctx, rec); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return false, nil
		}
		return false, err
	}
	e.observer.OutcomeRecorded(settled.Outcome)
	return true, nil
}
