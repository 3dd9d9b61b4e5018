package server

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/store"
)

// The outbox: every message to a customer on a channel with a sender (SMS,
// email, webhooks) is recorded in the store before it is sent, then sent by a
// dispatcher in the order recorded per conversation. A crash after a turn's
// commit, or a gateway that is down, delays a reply instead of losing it:
// failed attempts are tried again with exponential backoff and jitter, and
// Run picks up what a crash or another instance left pending. A crash during
// a send sends it again after the claim's lease: at least once, with the same
// message id, which email (Message-ID) and webhooks (Idempotency-Key) carry
// so that receivers can drop the copy.

// OutboxConfig tunes the outbox; zero fields take the defaults.
type OutboxConfig struct {
	// Every is how often pending messages are looked for (a crash's, another
	// instance's); 0: every 5 seconds. Negative: only once, when Run starts.
	Every time.Duration
	// Backoff is the wait before the first retry, doubled for each later one
	// up to MaxBackoff, with jitter; 0: 10 seconds and 30 minutes.
	Backoff    time.Duration
	MaxBackoff time.Duration
	// MaxAttempts is how many attempts a message gets before it is marked
	// failed; 0: 15 (about five hours with the default backoff).
	MaxAttempts int
	// Lease is how long a claimed message is left to the instance sending it
	// before another may try it (a crash during a send is retried after it);
	// 0: OutboxAttemptTimeout and 30 seconds. Shorter than
	// OutboxAttemptTimeout, a slow send could be sent twice.
	Lease time.Duration
}

func (c OutboxConfig) withDefaults() OutboxConfig {
	if c.Every == 0 {
		c.Every = 5 * time.Second
	}
	if c.Backoff <= 0 {
		c.Backoff = 10 * time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 30 * time.Minute
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 15
	}
	if c.Lease <= 0 {
		c.Lease = OutboxAttemptTimeout + 30*time.Second
	}
	return c
}

// OutboxAttemptTimeout bounds one attempt to send a message; an outbox lease
// must be longer.
const OutboxAttemptTimeout = deliverTimeout

// dispatcher runs at most one sender per conversation, so its messages go
// out in order.
type dispatcher struct {
	mu      sync.Mutex
	running map[string]bool // conversations being sent
	again   map[string]bool // woken while running: look once more before stopping
	closed  bool
}

// enqueue records a message and wakes the dispatcher for its conversation.
// When the store refuses it (down), the message is still tried from memory:
// better a reply that may be lost on a crash than one never tried.
func (s *Server) enqueue(ctx context.Context, out channels.Outbound, replies []engine.Reply) {
	m := store.OutboxMessage{
		ID: out.MessageID, ConversationID: out.ConversationID, Channel: out.Channel, To: out.To,
		Subject: out.Subject, InReplyTo: out.InReplyTo, Replies: outboxReplies(replies),
	}
	if _, _, err := s.store.EnqueueOutbox(context.WithoutCancel(ctx), m); err != nil {
		s.log.Error("outbox: message not recorded, sending it from memory", "channel", m.Channel, "conversation", logID(m.ConversationID), "message_id", logID(m.ID), "error", err)
		s.sendUnrecorded(ctx, m)
		return
	}
	s.wake(m.ConversationID)
}

// wake starts sending a conversation's pending messages, unless that is
// already going on.
func (s *Server) wake(conversationID string) {
	d := &s.dispatch
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	if d.running[conversationID] {
		d.again[conversationID] = true
		return
	}
	if d.running == nil {
		d.running, d.again = map[string]bool{}, map[string]bool{}
	}
	d.running[conversationID] = true
	s.sending.Add(1)
	go s.drainOutbox(conversationID)
}

// drainOutbox sends a conversation's due messages in order, and arranges to
// come back when the first pending one is due.
func (s *Server) drainOutbox(conversationID string) {
	defer s.sending.Done()
	d := &s.dispatch
	for {
		retryIn := s.sendNext(conversationID)
		if retryIn == 0 {
			continue
		}
		d.mu.Lock()
		if d.again[conversationID] {
			delete(d.again, conversationID)
			d.mu.Unlock()
			continue
		}
		delete(d.running, conversationID)
		closed := d.closed
		d.mu.Unlock()
		if retryIn > 0 && !closed {
			time.AfterFunc(retryIn, func() { s.wake(conversationID) })
		}
		return
	}
}

// sendNext sends the conversation's first pending message if it is due. It
// returns 0 to go on with the next, a wait until the first is due, or a
// negative duration when there is nothing to do here.
func (s *Server) sendNext(conversationID string) time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), deliverTimeout)
	defer cancel()
	pending, err := s.store.Outbox(ctx, store.OutboxFilter{ConversationID: conversationID, Status: store.OutboxPending, Limit: 1})
	if err != nil {
		s.log.Warn("outbox: reading pending messages", "conversation", logID(conversationID), "error", err)
		return s.cfg.Outbox.withDefaults().Backoff
	}
	if len(pending) == 0 {
		return -1
	}
	now := time.Now()
	if wait := pending[0].NextAttemptAt.Sub(now); wait > 0 {
		return wait
	}
	m, err := s.store.ClaimOutbox(ctx, pending[0].ID, now, now.Add(s.cfg.Outbox.withDefaults().Lease))
	if errors.Is(err, store.ErrConflict) {
		return -1 // another instance took it; the poll comes back to it
	}
	if err != nil {
		s.log.Warn("outbox: claiming a message", "conversation", logID(conversationID), "message_id", logID(pending[0].ID), "error", err)
		return s.cfg.Outbox.withDefaults().Backoff
	}
	err = s.sendParts(ctx, &m)
	hadFailed := m.LastError != ""
	m = s.settle(m, err)
	if _, ferr := s.store.FinishOutbox(context.WithoutCancel(ctx), m); ferr != nil {
		// The claim's lease runs out and the message is tried again.
		s.log.Warn("outbox: recording an attempt", "message_id", logID(m.ID), "error", ferr)
		return -1
	}
	if m.Status == store.OutboxPending {
		// Already due (a short backoff, a slow attempt): go on at once. A
		// negative wait would read as "nothing to do" and leave it to the poll.
		if wait := time.Until(m.NextAttemptAt); wait > 0 {
			return wait
		}
		return 0
	}
	if m.Status == store.OutboxFailed || hadFailed {
		// The console shows what the customer did not get: it re-reads the
		// conversation when that changes.
		s.hub.publishAgents(agentUpdate{Type: "conversation_changed", ConversationID: m.ConversationID})
	}
	return 0
}

// settle turns an attempt's result into the message's next state.
func (s *Server) settle(m store.OutboxMessage, err error) store.OutboxMessage {
	cfg := s.cfg.Outbox.withDefaults()
	attrs := []any{"channel", m.Channel, "conversation", logID(m.ConversationID), "message_id", logID(m.ID), "attempt", m.Attempts}
	switch {
	case err == nil:
		m.Status, m.LastError, m.SentAt = store.OutboxSent, "", time.Now()
		s.metrics.desk.outbox.inc([2]string{m.Channel, "sent"})
		if m.Attempts > 1 {
			s.log.Info("outbox: message sent after retries", attrs...)
		}
	case permanent(err) || m.Attempts >= cfg.MaxAttempts:
		m.Status, m.LastError = store.OutboxFailed, err.Error()
		s.metrics.desk.outbox.inc([2]string{m.Channel, "failed"})
		s.log.Error("outbox: message not delivered, given up", append(attrs, "error", err)...)
	default:
		m.Status, m.LastError = store.OutboxPending, err.Error()
		m.NextAttemptAt = time.Now().Add(backoff(cfg, m.Attempts))
		s.metrics.desk.outbox.inc([2]string{m.Channel, "retry"})
		s.log.Warn("outbox: message not delivered, will retry", append(attrs, "retry_at", m.NextAttemptAt, "error", err)...)
	}
	return m
}

// backoff is the wait after attempt n failed: Backoff doubled n-1 times, at
// most MaxBackoff, half of it random so that instances retrying after one
// outage don't all come back at once.
func backoff(cfg OutboxConfig, n int) time.Duration {
	d := cfg.MaxBackoff
	if n-1 < 32 {
		d = min(cfg.Backoff<<(n-1), cfg.MaxBackoff)
	}
	if d <= 0 {
		d = cfg.MaxBackoff
	}
	return d/2 + rand.N(d/2+1)
}

// permanent reports a provider's refusal of the message itself (a bad number,
// an unknown mailbox): sending it again would fail again. Anything else,
// timeouts and unknown errors included, is worth another try.
func permanent(err error) bool {
	var se *channels.SendError
	return errors.As(err, &se) && !se.Retryable
}

// sendParts sends m's replies: email as one message (an email per sentence
// would flood the customer's inbox), other channels one message per reply,
// each with a MessageID derived from m's. Parts the provider accepted are
// recorded as they go, so a retry sends only the rest.
func (s *Server) sendParts(ctx context.Context, m *store.OutboxMessage) error {
	sender := s.sender(m.Channel)
	if sender == nil {
		return &channels.SendError{Provider: m.Channel, Message: "no sender is configured for this channel"}
	}
	parts := outboxParts(*m)
	for i := m.Parts; i < len(parts); i++ {
		if err := sender.Send(ctx, parts[i]); err != nil {
			return err
		}
		m.Parts = i + 1
		if m.Parts < len(parts) {
			progress := *m
			progress.Status = store.OutboxPending
			if _, err := s.store.FinishOutbox(context.WithoutCancel(ctx), progress); err != nil {
				s.log.Warn("outbox: recording a part sent", "message_id", logID(m.ID), "error", err)
			}
		}
	}
	return nil
}

// outboxParts are the provider messages an outbox message is sent as.
func outboxParts(m store.OutboxMessage) []channels.Outbound {
	tmpl := channels.Outbound{
		Channel: m.Channel, To: m.To, ConversationID: m.ConversationID, MessageID: m.ID,
		Subject: m.Subject, InReplyTo: m.InReplyTo,
	}
	if m.Channel == "email" {
		texts := make([]string, len(m.Replies))
		for i, r := range m.Replies {
			texts[i] = channels.TextWithButtons(r.Text, outboxButtons(r.Buttons))
		}
		tmpl.Text = strings.Join(texts, "\n\n")
		return []channels.Outbound{tmpl}
	}
	out := make([]channels.Outbound, len(m.Replies))
	for i, r := range m.Replies {
		p := tmpl
		p.Text, p.Buttons = r.Text, outboxButtons(r.Buttons)
		p.MessageID = m.ID + "-" + strconv.Itoa(i+1)
		out[i] = p
	}
	return out
}

// sendUnrecorded is the fallback when the store can't record a message.
func (s *Server) sendUnrecorded(ctx context.Context, m store.OutboxMessage) {
	s.sending.Add(1)
	go func() {
		defer s.sending.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), deliverTimeout)
		defer cancel()
		if err := s.sendParts(ctx, &m); err != nil {
			s.log.Error("reply not delivered", "channel", m.Channel, "conversation", logID(m.ConversationID), "message_id", logID(m.ID), "error", err)
		}
	}()
}

// dispatchDue wakes every conversation with a message due: those a crash
// left pending, retries whose timer died with an instance, another
// instance's leftovers.
func (s *Server) dispatchDue(ctx context.Context) {
	due, err := s.store.Outbox(ctx, store.OutboxFilter{Status: store.OutboxPending, DueBy: time.Now(), Limit: 1000})
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("outbox: reading due messages", "error", err)
		}
		return
	}
	for _, m := range due {
		s.wake(m.ConversationID)
	}
}

// redeliver makes sure the replies of a turn that was received again (a
// provider's retry, an agent's retried request) are recorded and, while
// pending, on their way: it closes the window between a turn's commit and its
// replies' record.
func (s *Server) redeliver(ctx context.Context, out channels.Outbound, replies []engine.Reply) {
	m, err := s.store.OutboxMessage(ctx, out.MessageID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.enqueue(ctx, out, replies)
	case err != nil:
		s.log.Warn("outbox: reading a redelivered message", "message_id", logID(out.MessageID), "error", err)
	case m.Status == store.OutboxPending:
		s.wake(m.ConversationID)
	}
}

func outboxReplies(replies []engine.Reply) []store.OutboxReply {
	out := make([]store.OutboxReply, len(replies))
	for i, r := range replies {
		out[i].Text = r.Text
		for _, b := range r.Buttons {
			out[i].Buttons = append(out[i].Buttons, store.OutboxButton{Label: b.Label, Payload: b.Payload})
		}
	}
	return out
}

func outboxButtons(bs []store.OutboxButton) []channels.Button {
	if len(bs) == 0 {
		return nil
	}
	out := make([]channels.Button, len(bs))
	for i, b := range bs {
		out[i] = channels.Button{Label: b.Label, Payload: b.Payload}
	}
	return out
}
