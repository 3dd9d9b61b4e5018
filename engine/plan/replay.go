package plan

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/dialog/outcome"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/testmock"
)

// Recorded is one conversation as the store keeps it.
type Recorded struct {
	ID            string
	CreatedAt     time.Time
	PolicyVersion string // the policies that took its first turn
	PolicyLabel   string
	Channel       string // the channel it is on, as expressions read it
	// Events is the whole log, from seq 1.
	Events []dialog.Event
	// Outcomes are the recorded outcome kinds of its settled contacts, by the
	// seq of the contact's first event.
	Outcomes map[int64]string
	// NoProfiles: its log is older than the customer profile kept with each
	// message, so the replay runs without the profiles the bot saw.
	NoProfiles bool
}

// LiveCall is a connector call the log never recorded (or a knowledge-base
// search it can't stand in for): the replay stops there.
type LiveCall struct {
	Turn      int            `json:"turn"` // the customer message it happened in (1 = the first)
	Connector string         `json:"connector,omitempty"`
	Operation string         `json:"operation,omitempty"`
	Input     map[string]any `json:"input,omitempty"`
	// Knowledge is the question when the missing answer is a knowledge-base search.
	Knowledge string `json:"knowledge,omitempty"`
}

func (c LiveCall) String() string {
	if c.Knowledge != "" {
		return fmt.Sprintf("a knowledge-base search for %q", c.Knowledge)
	}
	in, _ := json.Marshal(c.Input)
	return fmt.Sprintf("%s.%s %s", c.Connector, c.Operation, in)
}

// replay is the new policies' run of one recorded conversation.
type replay struct {
	p      *Planner
	rec    *Recorded
	inputs []input

	st     dialog.State
	events []dialog.Event
	// spans[i] is the replay's events[first:end] for input i; skipped inputs
	// (an agent's action where no agent came) have an empty span.
	spans        [][2]int
	skipped      []bool
	statesBefore []dialog.State
	turns        []int // the customer message number of each input (1-based; 0 before the first)

	answers map[string][]recordedAnswer
	used    map[string]int
	// tickets are the tickets the recording opened, in order; a ticket the
	// replay opens takes the id of the first one not yet taken with the same
	// queue and subject, so a new ticket opened earlier in the conversation
	// does not shift the ids of those the recording had.
	tickets    []recordedTicket
	newTickets int
	// ticketsOpened are the recorded tickets the replay opened too: their
	// updates are replayed.
	ticketsOpened []string

	contact *outcome.Contact // the replay's current contact, folded as events come
	live    *LiveCall
	mocked  []string
	err     error // the replay broke off (a loop in the bot's actions)
}

type recordedTicket struct {
	id, queue, subject string
	taken              bool
}

type recordedAnswer struct {
	data  map[string]any
	error string
}

// errNeedsLive stops a replay at a call nobody recorded.
type errNeedsLive struct{ call LiveCall }

func (e errNeedsLive) Error() string { return "needs a live answer: " + e.call.String() }

// replayConversation runs rec under the planner's policies.
func (p *Planner) replayConversation(ctx context.Context, rec *Recorded) *replay {
	r := &replay{p: p, rec: rec, inputs: splitInputs(rec.Events), st: dialog.NewState(rec.ID)}
	r.recordAnswers()
	turn := 0
	for i, in := range r.inputs {
		if in.kind == fromCustomer {
			turn++
		}
		r.turns = append(r.turns, turn)
		r.statesBefore = append(r.statesBefore, r.st)
		start := len(r.events)
		skipped, err := r.run(ctx, i, in)
		r.spans = append(r.spans, [2]int{start, len(r.events)})
		r.skipped = append(r.skipped, skipped)
		if err != nil {
			if live, ok := err.(errNeedsLive); ok {
				live.call.Turn = turn
				r.live = &live.call
			} else {
				r.err = err
			}
			break
		}
	}
	return r
}

// recordAnswers indexes what the log recorded: each call's answer by its
// operation and inputs, and the tickets opened, in order.
func (r *replay) recordAnswers() {
	r.answers, r.used = map[string][]recordedAnswer{}, map[string]int{}
	var pending *dialog.CallRequest
	var ticket *dialog.TicketRequest
	for _, ev := range r.rec.Events {
		switch ev.Type {
		case dialog.EventTicketRequested:
			ticket = nil
			if ev.Effect != nil {
				ticket = ev.Effect.Ticket
			}
		case dialog.EventCallRequested:
			pending = nil
			if ev.Effect != nil {
				pending = ev.Effect.Call
			}
		case dialog.EventCallCompleted:
			if pending != nil {
				key := callKey(pending.Connector, pending.Operation, pending.Input)
				r.answers[key] = append(r.answers[key], recordedAnswer{data: ev.Data, error: ev.Error})
			}
			pending = nil
		case dialog.EventTicketOpened:
			if ev.TicketID != "" {
				t := recordedTicket{id: ev.TicketID}
				if ticket != nil {
					t.queue, t.subject = ticket.Queue, ticket.Subject
				}
				r.tickets = append(r.tickets, t)
			}
			ticket = nil
		}
	}
}

// callKey identifies a call by what it asks: the same operation with the same
// inputs (as JSON, whose keys are sorted) gets the same answer.
func callKey(connector, operation string, input map[string]any) string {
	in, _ := json.Marshal(input)
	return connector + "." + operation + " " + string(in)
}

// run replays input i; skipped says it could not have happened under the new
// policies (an agent's action on a conversation no agent was given).
func (r *replay) run(ctx context.Context, i int, in input) (skipped bool, err error) {
	switch in.kind {
	case fromCustomer:
		if in.message == nil {
			return true, nil // a log cut short before the message itself
		}
		return false, r.message(ctx, i, in)
	case fromAgent:
		if !r.st.HandedOff {
			return true, nil
		}
		return false, r.step(dialog.Input{Now: in.at, Agent: in.agent})
	case handBack:
		if !r.st.HandedOff {
			return true, nil
		}
		return false, r.step(dialog.Input{Now: in.at, HandBack: in.handBack})
	case satisfaction:
		if !r.st.Surveying {
			return true, nil
		}
		return false, r.step(dialog.Input{Now: in.at, Satisfaction: in.satisfaction})
	case approval:
		d := *in.approval
		if !slices.ContainsFunc(r.st.Approvals, func(a dialog.ApprovalRecord) bool { return a.Request == d.Request }) {
			// The new policies asked for it at another point of the log, or not at all.
			if len(r.st.Approvals) != 1 {
				return true, nil
			}
			d.Request = r.st.Approvals[0].Request
		}
		return false, r.step(dialog.Input{Now: in.at, Approval: &d})
	case ticketUpdate:
		if in.ticket == nil || !slices.Contains(r.ticketsOpened, in.ticket.ID) {
			return true, nil // a ticket the new policies did not open
		}
		return false, r.step(dialog.Input{Now: in.at, TicketUpdate: in.ticket})
	case leaveQueue:
		if !r.st.HandedOff {
			return true, nil
		}
		return false, r.step(dialog.Input{Now: in.at, LeaveQueue: true})
	case refused:
		ev := r.rec.Events[in.first]
		r.add(dialog.Apply(r.st, ev), []dialog.Event{ev})
		return false, nil
	}
	return true, nil
}

// message replays a customer message as engine.Handle takes it: the new NLU,
// the knowledge base when no intent understands it, the dialog, and a survey
// when the bot has just resolved the request.
func (r *replay) message(ctx context.Context, i int, in input) error {
	m := in.message
	bot := r.p.bot
	text, values := dialog.ParsePayload(m.Text)
	u := r.p.model.Parse(text, engine.ParseOptions(bot, in.at))
	msg := &dialog.Message{ID: m.ID, Text: m.Text, NLU: u, Values: values, Profile: m.Customer}
	msg = engine.WithExactFAQ(msg, r.p.faqs)
	customer := engine.CustomerValue(m.Customer)
	before := r.contact
	step := dialog.Input{Now: in.at, Customer: customer, Channel: r.rec.Channel, AgentsOnline: m.AgentsOnline, Queue: m.QueueStatus, Message: msg}
	// As in the engine, the knowledge base is searched only when the step
	// asks for it, and the step runs again with the answer.
	st, _, evs, wants := dialog.StepWantsKnowledge(bot, r.st, step)
	if wants && r.p.hasKB && engine.NeedsKnowledge(bot, u) {
		ans, err := r.knowledge(ctx, i, m.Text)
		if err != nil {
			return err
		}
		searched := *msg
		searched.Searched, searched.Knowledge = true, ans
		step.Message = &searched
		st, _, evs = dialog.Step(bot, r.st, step)
	}
	if err := r.carry(step, st, evs); err != nil {
		return err
	}
	if engine.SurveyAfterBot(bot, r.st, r.rec.ID, before, r.contact) {
		return r.step(dialog.Input{Now: in.at, Customer: customer, Survey: true})
	}
	return nil
}

// knowledge answers a search: in memory when the new policies' knowledge
// base embeds offline, else from what the log recorded for the message.
func (r *replay) knowledge(ctx context.Context, i int, question string) (*dialog.KnowledgeAnswer, error) {
	if r.p.kb != nil {
		ans, err := r.p.searchKnowledge(ctx, question)
		if ans != nil {
			copied := *ans
			ans = &copied
		}
		return ans, err
	}
	old := r.inputs[i]
	searched := old.message.Searched
	for _, ev := range r.rec.Events[old.first:old.end] {
		switch ev.Type {
		case dialog.EventKnowledgeAnswered:
			if ev.Knowledge != nil {
				k := *ev.Knowledge
				return &k, nil
			}
		case dialog.EventUnanswered:
			searched = true
		}
	}
	if searched {
		return nil, nil
	}
	return nil, errNeedsLive{LiveCall{Knowledge: question}}
}

// step runs the dialog on one input and carries out what it awaits, as the
// engine's turn does, with recorded answers instead of connectors.
func (r *replay) step(in dialog.Input) error {
	st, _, evs := dialog.Step(r.p.bot, r.st, in)
	return r.carry(in, st, evs)
}

// carry adds the first step of an input (st, evs) and carries out what it awaits.
func (r *replay) carry(in dialog.Input, st dialog.State, evs []dialog.Event) error {
	r.add(st, evs)
	for n := 0; ; n++ {
		if n > engine.MaxAwaitedEffects {
			st, _, evs = dialog.Step(r.p.bot, r.st, engine.AbortLoop(in))
			r.add(st, evs)
		}
		awaited := r.st.Awaiting()
		if awaited == nil {
			return nil
		}
		res, err := r.answer(*awaited)
		if err != nil {
			return err
		}
		st, _, evs = dialog.Step(r.p.bot, r.st, dialog.Input{Now: in.Now, Customer: in.Customer, Channel: in.Channel, AgentsOnline: in.AgentsOnline, Result: &res})
		r.add(st, evs)
	}
}

// add appends a step's events and folds them into the current contact.
func (r *replay) add(st dialog.State, evs []dialog.Event) {
	r.st = st
	for _, ev := range evs {
		r.events = append(r.events, ev)
		r.contact, _ = outcome.Apply(r.p.bot, r.contact, ev, int64(len(r.events)))
	}
}

// answer is the result of an awaited effect: a recorded call's answer, a
// mock's when asked for, the next recorded ticket id.
func (r *replay) answer(eff dialog.Effect) (dialog.Result, error) {
	res := dialog.Result{EffectID: eff.ID}
	switch eff.Kind {
	case dialog.EffectTicket:
		res.TicketID = r.takeTicket(eff.Ticket)
		return res, nil
	case dialog.EffectCall:
	default:
		return res, fmt.Errorf("the dialog awaits effect %q of kind %v, which needs no result", eff.ID, eff.Kind)
	}
	req := eff.Call
	decl := r.p.bot.Connectors[req.Connector]
	if decl == nil {
		// As the engine answers a call of a connector the bot does not declare.
		res.Error = "unknown_connector"
		return res, nil
	}
	key := callKey(req.Connector, req.Operation, req.Input)
	if recorded := r.answers[key]; len(recorded) > 0 {
		// Asked again more often than recorded: the last answer stands.
		n := min(r.used[key], len(recorded)-1)
		r.used[key]++
		res.Data, res.Error = recorded[n].data, recorded[n].error
		return res, nil
	}
	if r.p.useMocks {
		if m := testmock.Match(r.p.mocks, req.Connector, connectors.Request{Operation: req.Operation, Input: req.Input}); m != nil {
			var output cty.Type
			if op := decl.Operations[req.Operation]; op != nil {
				output = op.Output
			}
			resp, err := testmock.Answer(m)
			if err == nil {
				res.Data, err = connectors.Conform(resp.Data, output)
			}
			if err != nil {
				res.Error = connectors.ErrorCode(err)
				res.Data, _ = connectors.Conform(nil, output)
			}
			r.mocked = append(r.mocked, fmt.Sprintf("%s.%s (mock at %s)", req.Connector, req.Operation, m.Range))
			return res, nil
		}
	}
	return res, errNeedsLive{LiveCall{Connector: req.Connector, Operation: req.Operation, Input: req.Input}}
}

// takeTicket is the id of the recorded ticket the same as req (queue and
// subject), or NEW-n for a ticket the recording never opened: its id is not
// known yet.
func (r *replay) takeTicket(req *dialog.TicketRequest) string {
	for i := range r.tickets {
		t := &r.tickets[i]
		if !t.taken && req != nil && t.queue == req.Queue && t.subject == req.Subject {
			t.taken = true
			r.ticketsOpened = append(r.ticketsOpened, t.id)
			return t.id
		}
	}
	r.newTickets++
	return fmt.Sprintf("NEW-%d", r.newTickets)
}
