package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/dialog/outcome"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// Message is one customer message as a channel delivers it.
type Message struct {
	ConversationID string
	// ClientMessageID makes delivery idempotent: the same id twice is one turn,
	// and the second delivery gets the first one's replies.
	ClientMessageID string
	Channel         string
	// CustomerID is the channel's own id for the customer; the engine resolves it
	// to one customer across channels.
	CustomerID string
	// Customer is the profile expressions see as customer.* (name, vip, tier...).
	Customer map[string]any
	Text     string
	// Identities name the customer independently of the channel (a phone, an
	// email) and take precedence over CustomerID: the first is resolved and the
	// others linked to that customer, so one person on SMS and WhatsApp has one
	// history. Set by channel webhooks (engine/server/channels.go).
	Identities []store.Identity
	// CustomerResolved says CustomerID is a customer id already (a signed
	// conversation token carries it), not a channel's id to resolve.
	CustomerResolved bool
	// Unverified is what the customer said about themselves that nobody
	// verified (name, email, phone): a handoff shows it to the agent as such.
	// It never finds or links a customer, and policies do not see it.
	Unverified map[string]string
	// RequestText is the text as the client sent it when a channel rewrote it
	// (a numbered answer turned into its button's payload): a redelivery is
	// compared by it. Empty: Text.
	RequestText string
}

// Reply is one thing the bot says.
type Reply struct {
	Text     string   `json:"text"`
	Response string   `json:"response,omitempty"`
	Buttons  []Button `json:"buttons,omitempty"`
}

type Button struct {
	Label   string `json:"label"`
	Payload string `json:"payload"`
}

// TurnResult is what a turn did: the replies for the customer, and the rest for
// debugging, tests and agents.
type TurnResult struct {
	ConversationID string            `json:"conversation_id"`
	Replies        []Reply           `json:"replies"`
	Intent         string            `json:"intent,omitempty"` // the confident intent; "" below the threshold
	Confidence     float64           `json:"confidence,omitempty"`
	Dialog         string            `json:"dialog,omitempty"` // active after the turn
	Slots          map[string]string `json:"slots,omitempty"`
	Held           map[string]string `json:"held,omitempty"`  // given for slots, waiting for the calls and slots their validate reads
	Calls          []string          `json:"calls,omitempty"` // connector.operation, in order
	Tickets        []TicketInfo      `json:"tickets,omitempty"`
	Approvals      []ApprovalInfo    `json:"approvals,omitempty"` // asked for in this turn
	Handoff        *HandoffInfo      `json:"handoff,omitempty"`
	HandedOff      bool              `json:"handed_off,omitempty"` // the conversation is with a human
	LeftQueue      bool              `json:"left_queue,omitempty"` // the customer stopped waiting for a person
	Ended          bool              `json:"ended,omitempty"`
	Duplicate      bool              `json:"duplicate,omitempty"` // a redelivery: nothing was done again
	Knowledge      string            `json:"knowledge,omitempty"` // the knowledge chunk the answer came from
	Unanswered     bool              `json:"unanswered,omitempty"`
	NLU            *nlu.Result       `json:"nlu,omitempty"`      // what the NLU made of the message
	Language       string            `json:"language,omitempty"` // the conversation's, after the turn
	// LastSeq is the conversation's last event after the turn: live updates
	// and transcripts continue from it.
	LastSeq int64 `json:"last_seq,omitempty"`
	// Satisfaction is the score the customer gave in this turn, if any.
	Satisfaction int `json:"satisfaction,omitempty"`
}

type TicketInfo struct {
	ID       string `json:"id"`
	Queue    string `json:"queue"`
	Subject  string `json:"subject"`
	Priority string `json:"priority"`
}

type HandoffInfo struct {
	ID       string `json:"id"`
	Queue    string `json:"queue"`
	Skill    string `json:"skill"`
	Priority string `json:"priority"`
	Reason   string `json:"reason"`
	Summary  string `json:"summary"`
}

// turn collects what one turn writes while its effects are carried out.
type turn struct {
	e      *Engine
	tx     store.Tx
	conv   *store.Conversation
	now    time.Time
	msg    Message
	result TurnResult
	rec    store.TurnRecord
	shares map[string][]string // handoff id -> what the agent receives
	// started is when a customer message arrived (zero for other turns): its
	// replies' response time is measured from it. newlySettled: outcomes.go.
	started      time.Time
	newlySettled []string
	// before is the contact as stored, decoded once (see storedContact).
	before     *outcome.Contact
	beforeRead bool
	// contact is the contact the turn stores, and kept what it stores for the
	// next turn (see stateCache).
	contact *outcome.Contact
	kept    *cachedState
	// request fingerprints what the client sent, kept with the result so a
	// client message id reused for something else is caught.
	request string
	// waiting is the queue the customer waited in when the turn began, nil when
	// the conversation was not waiting for a person.
	waiting *Waiting
}

// Handle runs one turn: understand, lock, step, act, commit.
func (e *Engine) Handle(ctx context.Context, m Message) (res *TurnResult, err error) {
	if to, release, err := e.routed(ctx, m.ConversationID); err != nil || to != nil {
		if err != nil {
			return nil, err
		}
		defer release()
		return to.Handle(ctx, m)
	}
	started := time.Now()
	defer func() { e.observer.TurnDone(time.Since(started), res, err) }()
	if err := validateMessage(m); err != nil {
		return nil, err
	}
	profile, lookup, err := e.customerOf(ctx, &m)
	if err != nil {
		return nil, err
	}
	res, err = e.handle(ctx, m, profile, lookup, started)
	if errors.Is(err, errQueueMoved) {
		// An agent claimed the conversation as the customer left the queue: the
		// agent has them now, and the message is theirs.
		res, err = e.handle(ctx, m, profile, lookup, started)
	}
	return res, err
}

// errQueueMoved: the handoff a customer was leaving changed under the turn.
var errQueueMoved = errors.New("the queue changed during the turn")

// handle is one attempt at a turn for a message that arrived at started.
// lookup, when not nil, is the audit entry of the CRM lookup made for it,
// written with the turn.
func (e *Engine) handle(ctx context.Context, m Message, profile map[string]any, lookup *store.AuditEntry, started time.Time) (res *TurnResult, err error) {
	// Understanding depends on the text alone, so it happens before the lock:
	// the conversation is held only for the turn.
	now := e.clock().Round(0) // the time the log keeps: no monotonic reading
	// A button may carry slot values after its payload: /refund{"order_id":"AB123456"}.
	text, values := dialog.ParsePayload(m.Text)
	understood := e.nlu.Parse(text, e.parseOptions(now))
	msg := &dialog.Message{ID: m.ClientMessageID, Text: m.Text, NLU: understood, Values: values, Profile: profile}
	tx, err := e.begin(ctx, m.ConversationID, m.ClientMessageID, e.bot.ReadsAgents)
	if err != nil {
		return nil, fmt.Errorf("begin turn: %w", err)
	}
	// From here the turn runs to its end even if the client goes away: a connector
	// call may already have refunded money, and that must be recorded.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), turnTimeout)
	defer cancel()
	defer tx.Rollback(ctx)

	request := fingerprint("message", firstNonEmpty(m.RequestText, m.Text))
	if res, done, err := processedResult(ctx, tx, m.ClientMessageID, request); err != nil || done {
		return res, err
	}

	// Read under the lock, so the answers are the ones the turn commits against.
	waiting := e.waiting(ctx, tx, m.ConversationID)
	// Live facts the bot's rules read.
	online, err := e.agentsOnline(ctx, tx)
	if err != nil {
		return nil, err
	}
	conv := tx.Conversation()
	st, err := e.Restore(conv)
	if err != nil {
		return nil, err
	}
	t := &turn{e: e, tx: tx, conv: conv, now: now, msg: m, started: started, request: request, waiting: waiting}
	t.result.ConversationID = m.ConversationID
	t.result.Confidence = understood.Top().Confidence
	t.result.NLU = &understood
	if lookup != nil {
		t.rec.Audit = append(t.rec.Audit, *lookup)
	}
	var events []dialog.Event
	channel := firstNonEmpty(conv.Channel, m.Channel)
	in := dialog.Input{Now: now, Customer: customerValue(profile), Channel: channel, AgentsOnline: online, Message: msg}
	if waiting != nil {
		in.Queue = &waiting.Status
	}
	st, err = t.run(ctx, st, in, &events)
	if err != nil {
		return nil, err
	}
	if st, err = t.maybeSurvey(ctx, st, in, &events); err != nil {
		return nil, err
	}
	// Before finish, which stores the state: see tellSummaryAgain.
	if st, err = t.tellSummaryAgain(ctx, st); err != nil {
		return nil, err
	}
	if err := t.finish(ctx, st, events); err != nil {
		return nil, err
	}
	// A summary told again never conflicts (store.SummaryChange): only a
	// customer leaving a queue an agent took is run again.
	if err := t.commit(ctx); err != nil {
		if errors.Is(err, store.ErrConflict) && len(t.rec.HandoffChanges) > 0 {
			return nil, fmt.Errorf("commit turn: %w: %w", errQueueMoved, err)
		}
		return nil, fmt.Errorf("commit turn: %w", err)
	}
	return &t.result, nil
}

// tellSummaryAgain writes, with the turn, the automatic summary of the
// handoff the customer waits in told again after their message
// (dialog.WaitingSummary), for the agent who takes it: the store changes it
// only if the handoff still waits for an agent when the turn commits, so one
// an agent took meanwhile keeps the summary they read (store.SummaryChange).
// A state stored before states kept the handoff's request has it from the
// log instead, and keeps it: the state the turn stores has it, so the log is
// read once per handoff, not at every message.
func (t *turn) tellSummaryAgain(ctx context.Context, st dialog.State) (dialog.State, error) {
	// Not HandedOff after the step: the customer left the queue.
	if t.waiting == nil || !st.HandedOff || st.Agent != "" {
		return st, nil
	}
	summary, known := dialog.WaitingSummary(t.e.bot, st)
	if !known {
		req, err := t.handoffRequest(ctx)
		if err != nil {
			return st, err
		}
		st = dialog.KeepHandoffRequest(st, req)
		summary, _ = dialog.WaitingSummary(t.e.bot, st)
	}
	if summary != "" {
		t.rec.SummaryChanges = append(t.rec.SummaryChanges, store.SummaryChange{HandoffID: t.waiting.HandoffID, Summary: summary})
	}
	return st, nil
}

// handoffRequest is the request of the log's last handoff_requested event,
// nil for none.
func (t *turn) handoffRequest(ctx context.Context) (*dialog.HandoffRequest, error) {
	stored, err := t.tx.Log(ctx)
	if err != nil {
		return nil, fmt.Errorf("load log: %w", err)
	}
	for i := len(stored) - 1; i >= 0; i-- {
		if stored[i].Type != dialog.EventHandoffRequested {
			continue
		}
		var ev dialog.Event
		if err := json.Unmarshal(stored[i].Data, &ev); err != nil {
			return nil, fmt.Errorf("decode event %d: %w", stored[i].Seq, err)
		}
		if ev.Effect == nil {
			return nil, nil
		}
		return ev.Effect.Handoff, nil
	}
	return nil, nil
}

// commit writes the turn's record and keeps the state it stored for the next
// turn; a failed commit forgets the conversation's kept state.
func (t *turn) commit(ctx context.Context) error {
	if err := t.tx.Commit(ctx, t.rec); err != nil {
		t.e.states.keep(t.conv.ID, nil)
		return err
	}
	t.e.states.keep(t.conv.ID, t.kept)
	t.committed()
	return nil
}

// needsKnowledge: the knowledge base is searched only for messages no intent
// understands, so a confident "track my order" costs no embedding; and then
// only when the dialog asks (see turn.step).
func (e *Engine) needsKnowledge(u nlu.Result) bool {
	return e.kb != nil && NeedsKnowledge(e.bot, u)
}

// HandBack returns a handed-off conversation to the bot, as an agent does.
func (e *Engine) HandBack(ctx context.Context, conversationID, agent, note string) (*TurnResult, error) {
	// The handoffs still open, read before the lock so the turn holds one connection.
	open, err := e.store.Handoffs(ctx, store.HandoffFilter{ConversationID: conversationID})
	if err != nil {
		return nil, fmt.Errorf("handoffs of %q: %w", conversationID, err)
	}
	// The handoff records say the conversation is back with the bot.
	returned := func(t *turn) {
		for _, h := range open {
			if h.Status == "returned" || h.Status == "closed" {
				continue
			}
			h.Status = "returned"
			h.History = []store.StatusChange{{Status: "returned", Actor: "agent:" + agent, At: t.now, Note: note}}
			t.rec.Handoffs = append(t.rec.Handoffs, h)
		}
		t.rec.Audit = append(t.rec.Audit, t.audit("agent:"+agent, "handoff.return", map[string]any{"note": note}))
	}
	return e.act(ctx, conversationID, "", "", dialog.Input{HandBack: &dialog.HandBack{Agent: agent, Note: note}}, returned)
}

// Restore rebuilds the dialog state from the snapshot and the events after it,
// or takes the one the last turn on this instance committed, while the log
// still ends with it.
func (e *Engine) Restore(conv *store.Conversation) (dialog.State, error) {
	if st, ok := e.states.state(conv); ok {
		return st, nil
	}
	snap := dialog.NewState(conv.ID)
	if len(conv.Snapshot) > 0 {
		if err := json.Unmarshal(conv.Snapshot, &snap); err != nil {
			return dialog.State{}, fmt.Errorf("decode snapshot of %q: %w", conv.ID, err)
		}
	}
	evs := make([]dialog.Event, 0, len(conv.Events))
	for _, se := range conv.Events {
		var ev dialog.Event
		if err := json.Unmarshal(se.Data, &ev); err != nil {
			return dialog.State{}, fmt.Errorf("decode event %d of %q: %w", se.Seq, conv.ID, err)
		}
		evs = append(evs, ev)
	}
	return dialog.Replay(e.bot, snap, evs), nil
}

// run steps the dialog and carries out its effects until it awaits nothing.
func (t *turn) run(ctx context.Context, st dialog.State, in dialog.Input, events *[]dialog.Event) (dialog.State, error) {
	st, effects, evs := t.step(ctx, st, in)
	if *events == nil {
		*events = evs // Step's own, to add to
	} else {
		*events = append(*events, evs...)
	}
	for n := 0; ; n++ {
		awaited := st.Awaiting()
		for _, eff := range effects {
			if awaited != nil && eff.ID == awaited.ID {
				continue
			}
			t.apply(eff)
		}
		if awaited == nil {
			return st, nil
		}
		if n > maxAwaitedEffects {
			// Only a loop in the bot's own actions (on_error starting a dialog whose
			// call fails again...) gets here; stop before it calls a connector
			// forever, and keep the message, the calls made, what the bot said on
			// the way (applied above: its events are in the log) and an answer.
			// The abort drops the awaited effect, so the next round ends the turn.
			st, effects, evs = dialog.Step(t.e.bot, st, AbortLoop(in))
			*events = append(*events, evs...)
			continue
		}
		res, err := t.execute(ctx, *awaited)
		if err != nil {
			return st, err
		}
		st, effects, evs = dialog.Step(t.e.bot, st, dialog.Input{Now: in.Now, Customer: in.Customer, Channel: in.Channel, AgentsOnline: in.AgentsOnline, Result: &res})
		*events = append(*events, evs...)
	}
}

// step is the first step of a turn. A message nothing else understood is
// looked up in the knowledge base only when the dialog would use the answer:
// the step runs without one, and again from the same state with it when the
// dialog asked (a "yes" to a confirmation or a slot's answer is not searched).
func (t *turn) step(ctx context.Context, st dialog.State, in dialog.Input) (dialog.State, []dialog.Effect, []dialog.Event) {
	if t.e.kb != nil {
		in.Message = WithExactFAQ(in.Message, t.e.kb.faqs)
	}
	next, effects, evs, wants := dialog.StepWantsKnowledge(t.e.bot, st, in)
	m := in.Message
	if !wants || m == nil || !t.e.needsKnowledge(m.NLU) {
		return next, effects, evs
	}
	kctx, cancel := context.WithTimeout(ctx, knowledgeTimeout)
	ans, ok, err := t.e.kb.Answer(kctx, m.Text)
	cancel()
	if err != nil {
		// The bot can still answer without its knowledge base.
		t.rec.Audit = append(t.rec.Audit, t.audit("bot", "knowledge.error", map[string]any{"error": err.Error()}))
		return next, effects, evs
	}
	searched := *m
	searched.Searched = true
	if ok {
		searched.Knowledge = &dialog.KnowledgeAnswer{ChunkID: ans.ChunkID, Title: ans.Title, Source: ans.Source, Text: ans.Text, Score: ans.Score}
	}
	in.Message = &searched
	return dialog.Step(t.e.bot, st, in)
}

// apply records a fire-and-forget effect in the turn's result and record.
func (t *turn) apply(eff dialog.Effect) {
	switch eff.Kind {
	case dialog.EffectReply:
		r := Reply{Text: eff.Reply.Text, Response: eff.Reply.Response}
		for _, b := range eff.Reply.Buttons {
			r.Buttons = append(r.Buttons, Button{Label: b.Label, Payload: b.Payload})
		}
		t.result.Replies = append(t.result.Replies, r)
	case dialog.EffectHandoff:
		h := eff.Handoff
		info := &HandoffInfo{ID: t.e.newID("handoff"), Queue: h.Queue, Skill: h.Skill, Priority: h.Priority, Reason: h.Reason, Summary: h.Summary}
		t.result.Handoff = info
		share := h.Share
		if len(share) == 0 {
			share = []string{"transcript", "slots", "summary"}
		}
		ho := store.Handoff{
			ID: info.ID, ConversationID: t.msg.ConversationID, CustomerID: t.msg.CustomerID,
			Queue: h.Queue, Skill: h.Skill, Priority: h.Priority, Reason: h.Reason,
			Status: "waiting", CreatedAt: t.now,
			History: []store.StatusChange{{Status: "waiting", Actor: "bot", At: t.now}},
		}
		if contains(share, "summary") {
			ho.Summary = h.Summary
		}
		if contains(share, "slots") {
			ho.Slots = h.Slots
		}
		if len(t.msg.Unverified) > 0 {
			ho.Unverified = maps.Clone(t.msg.Unverified)
		}
		if t.shares == nil {
			t.shares = map[string][]string{}
		}
		t.shares[info.ID] = share
		t.rec.Handoffs = append(t.rec.Handoffs, ho)
		t.rec.Audit = append(t.rec.Audit, t.audit("bot", "handoff.open", map[string]any{
			"id": ID(info.ID), "queue": h.Queue, "priority": h.Priority, "reason": h.Reason,
		}))
	case dialog.EffectEnd:
		t.result.Ended = true
	case dialog.EffectApproval:
		t.askApproval(eff)
	}
}

// execute carries out an effect the dialog waits for, and says how it went.
func (t *turn) execute(ctx context.Context, eff dialog.Effect) (dialog.Result, error) {
	switch eff.Kind {
	case dialog.EffectCall:
		return t.call(ctx, eff), nil
	case dialog.EffectTicket:
		return dialog.Result{EffectID: eff.ID, TicketID: t.openTicket(*eff.Ticket)}, nil
	default:
		return dialog.Result{}, fmt.Errorf("dialog awaits effect %q of kind %v, which needs no result", eff.ID, eff.Kind)
	}
}

// audit makes an audit entry with personal data masked.
func (t *turn) audit(actor, action string, detail map[string]any) store.AuditEntry {
	raw, _ := json.Marshal(MaskValue(t.e.masker, detail))
	return store.AuditEntry{At: t.now, Actor: actor, Action: action, ConversationID: t.msg.ConversationID, Detail: raw}
}

// personalFields are keys whose values are personal data as a whole (an address
// or a name has no pattern to find inside free text).
var personalFields = []string{"address", "name", "email", "phone", "mobile", "message", "note", "comment", "contact", "text", "details", "damage"}

// secretFields are keys whose values answer identity checks (a date of birth,
// a passcode): nothing of them is kept, since a date masked like a phone
// number, 198*-03-15, still gives it away.
var secretFields = []string{"birth", "passcode", "password", "secret", "security"}

func isSecretField(key string) bool { return nameHasAny(key, secretFields) }

func isPersonalField(key string) bool { return nameHasAny(key, personalFields) }

// nameHasAny reports whether a field's name contains one of words, in any case.
func nameHasAny(key string, words []string) bool {
	key = strings.ToLower(key)
	for _, w := range words {
		if strings.Contains(key, w) {
			return true
		}
	}
	return false
}

// MaskValue masks personal data in a JSON-like value, so the audit log never
// holds a customer's email, phone, card number, address or name in the clear:
// fields named like personal data are masked whole, other strings where a
// pattern finds it.
func MaskValue(m *policies.Masker, v any) any {
	switch x := v.(type) {
	case string:
		return m.Text(x)
	case ID:
		return m.Token(string(x))
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = MaskField(m, k, e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = MaskValue(m, e)
		}
		return out
	default:
		return v
	}
}

// MaskField masks the value of one field of a JSON-like object as MaskValue
// does: whole when the key names personal data, else by pattern.
func MaskField(m *policies.Masker, key string, v any) any {
	if isSecretField(key) && v != nil {
		return "****"
	}
	if str, ok := v.(string); ok && isPersonalField(key) {
		return policies.MaskPII(str)
	}
	return MaskValue(m, v)
}

// transcript is the whole conversation so far, for the agent a handoff goes to.
func (t *turn) transcript(ctx context.Context, current []dialog.Event) ([]store.TranscriptLine, error) {
	stored, err := t.tx.Log(ctx)
	if err != nil {
		return nil, fmt.Errorf("load transcript: %w", err)
	}
	events := make([]dialog.Event, 0, len(stored)+len(current))
	for _, se := range stored {
		var ev dialog.Event
		if err := json.Unmarshal(se.Data, &ev); err != nil {
			return nil, fmt.Errorf("decode event %d: %w", se.Seq, err)
		}
		events = append(events, ev)
	}
	events = append(events, current...)
	var lines []store.TranscriptLine
	for _, ev := range events {
		switch {
		case ev.Type == dialog.EventMessageReceived && ev.Message != nil:
			lines = append(lines, store.TranscriptLine{From: "customer", Text: firstNonEmpty(ev.Message.Label, ev.Message.Text), At: ev.At})
		case ev.Type == dialog.EventReplySent && ev.Effect != nil && ev.Effect.Reply != nil:
			lines = append(lines, store.TranscriptLine{From: "bot", Text: ev.Effect.Reply.Text, At: ev.At})
		}
	}
	return lines, nil
}

// finish turns the dialog's events into the turn record and fills in the result.
func (t *turn) finish(ctx context.Context, st dialog.State, events []dialog.Event) error {
	for i := range t.rec.Handoffs {
		h := &t.rec.Handoffs[i]
		if !contains(t.shares[h.ID], "transcript") {
			continue
		}
		lines, err := t.transcript(ctx, events)
		if err != nil {
			return err
		}
		h.Transcript = lines
	}
	seq := t.conv.LastSeq
	if err := t.trackContact(events, seq+1); err != nil {
		return err
	}
	// The events and the state are encoded one after another into scratch
	// space, then copied into one block of exactly their size, which the
	// record's events and snapshot share as capped slices.
	scratch := encodeScratch.Get().(*[]byte)
	defer putScratch(scratch)
	buf := (*scratch)[:0]
	ends := make([]int, len(events))
	for i := range events {
		var err error
		if buf, err = events[i].AppendJSON(buf); err != nil {
			return fmt.Errorf("encode %s event: %w", events[i].Type, err)
		}
		ends[i] = len(buf)
	}
	buf, err := st.AppendJSON(buf)
	if err != nil {
		return fmt.Errorf("encode snapshot: %w", err)
	}
	*scratch = buf
	block := bytes.Clone(buf)
	t.rec.Events = make([]store.Event, 0, len(events))
	start := 0
	for i := range events {
		ev := &events[i]
		raw := block[start:ends[i]:ends[i]]
		start = ends[i]
		seq++
		t.rec.Events = append(t.rec.Events, store.Event{Seq: seq, Type: ev.Type, At: ev.At, Data: raw})
		switch ev.Type {
		case dialog.EventMessageReceived:
			// The intent the bot acts on, as the dialog read the message: none
			// below the confidence threshold, nor for a bare yes or no that no
			// example of the intent is.
			if r := ev.Message; r != nil && r.Intent != "" && r.Confidence >= t.e.bot.ConfidenceThreshold {
				t.result.Intent = r.Intent
			}
		case dialog.EventKnowledgeAnswered:
			if ev.Knowledge != nil {
				t.result.Knowledge = ev.Knowledge.ChunkID
			}
			// The bot acted on the passage, not on an intent it was not sure
			// of (a Chinese one not settled).
			t.result.Intent = ""
		case dialog.EventSatisfactionRecorded:
			t.result.Satisfaction = ev.Score
			t.rec.Satisfaction = append(t.rec.Satisfaction, store.Satisfaction{ConversationID: t.msg.ConversationID, Score: ev.Score, Comment: ev.Comment, At: ev.At})
		case dialog.EventQueueLeft:
			t.result.LeftQueue = true
			t.leaveQueue(*ev)
		case dialog.EventUnanswered:
			t.result.Unanswered = true
			// Kept for `parley kb unanswered`, with personal data masked as the
			// logs and the audit trail have it.
			t.rec.Unanswered = append(t.rec.Unanswered, store.UnansweredQuestion{Question: t.e.masker.Text(t.msg.Text), ConversationID: t.msg.ConversationID, At: ev.At})
		}
		if ev.Type == dialog.EventRuleApplied {
			t.rec.Audit = append(t.rec.Audit, t.audit("bot", "rule.decision", map[string]any{
				"rule": ev.Rule, "outcome": ev.Outcome, "dialog": ev.Dialog, "replaced": ev.Reason,
			}))
		}
	}
	snap := block[start:]
	t.keep(st, snap, seq)
	t.rec.ConversationID = t.msg.ConversationID
	t.rec.PolicyVersion, t.rec.PolicyLabel = t.e.bot.Version, t.e.policyLabel
	t.rec.ClientMessageID = t.msg.ClientMessageID
	t.rec.CustomerID = firstNonEmpty(t.msg.CustomerID, t.conv.CustomerID)
	// A conversation stays on the channel it started on: its replies go there.
	t.rec.Channel = firstNonEmpty(t.conv.Channel, t.msg.Channel)
	t.rec.Snapshot = snap
	t.rec.SnapshotSeq = seq
	t.result.LastSeq = seq
	t.rec.Status = "active"
	if st.HandedOff {
		t.rec.Status = "handed_off"
	}
	if t.result.Ended {
		t.rec.Status = "closed"
	}
	t.result.Dialog = activeDialog(st)
	t.result.Slots = turnSlots(st, events)
	t.result.Held = heldSlots(st)
	t.result.HandedOff = st.HandedOff
	t.result.Language = dialog.ConversationLanguage(t.e.bot, st)
	if t.result.Replies == nil {
		t.result.Replies = []Reply{}
	}
	raw, err := json.Marshal(processedTurn{TurnResult: &t.result, Request: t.request})
	if err != nil {
		return fmt.Errorf("encode turn result: %w", err)
	}
	t.rec.Result = raw
	// Every JSON field above came from the engine's own encoders.
	t.rec.Encoded = true
	return nil
}

// encodeScratch is where turns encode their events and state before copying
// them out: it grows to the largest turn once instead of on every turn.
var encodeScratch = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

// putScratch returns scratch space to the pool unless one rare turn (a large
// connector result) made it too big to keep.
func putScratch(b *[]byte) {
	if cap(*b) <= 1<<20 {
		encodeScratch.Put(b)
	}
}

func customerValue(m map[string]any) cty.Value {
	if len(m) == 0 {
		return cty.EmptyObjectVal
	}
	v, err := connectors.ToCty(m)
	if err != nil {
		return cty.EmptyObjectVal
	}
	return v
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func activeDialog(st dialog.State) string {
	if len(st.Stack) == 0 {
		return ""
	}
	return st.Stack[len(st.Stack)-1].Dialog
}

// lastEnded is the last dialog that completed or was cancelled in a turn's
// events, "" for none.
func lastEnded(events []dialog.Event) string {
	last := ""
	for _, ev := range events {
		if ev.Type == dialog.EventDialogCompleted || ev.Type == dialog.EventDialogCancelled {
			last = ev.Dialog
		}
	}
	return last
}

// heldSlots are the values held in the active dialog for the calls that check
// them.
func heldSlots(st dialog.State) map[string]string {
	if len(st.Stack) == 0 || len(st.Stack[len(st.Stack)-1].Held) == 0 {
		return nil
	}
	out := map[string]string{}
	for name, v := range st.Stack[len(st.Stack)-1].Held {
		out[name] = v.Value
	}
	return out
}

// turnSlots are the slots of the dialog active after the turn or, when the turn
// finished its dialog, the slots this turn filled or corrected in it (the test
// runner adds those of earlier turns from the log).
func turnSlots(st dialog.State, events []dialog.Event) (out map[string]string) {
	out = map[string]string{}
	defer func() {
		if len(out) == 0 {
			out = nil
		}
	}()
	if len(st.Stack) > 0 {
		for name, v := range st.Stack[len(st.Stack)-1].Slots {
			out[name] = v.Value
		}
		return out
	}
	// Replay this turn's slot events of the last dialog that ended in it.
	last := lastEnded(events)
	for _, ev := range events {
		if ev.Dialog != last || ev.Value == nil {
			continue
		}
		if ev.Type == dialog.EventSlotFilled || ev.Type == dialog.EventSlotCorrected {
			out[ev.Slot] = ev.Value.Value
		}
	}
	return out
}
