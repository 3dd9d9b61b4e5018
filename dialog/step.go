package dialog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parleyhq/parley/policies"
)

const (
	// maxSteps bounds the internal transitions of one input, so a loop in the bot
	// (dialogs that start each other) ends with an error reply instead of hanging.
	maxSteps = 50
	// maxDepth is how many dialogs may be stacked by digressions.
	maxDepth = 3
)

// How a run ends the dialog it belongs to.
const (
	finishComplete = "complete"
	finishCancel   = "cancel"
)

// Action kinds, for ActionsRef.
const (
	refRule        = "rule"
	refOutcome     = "outcome"
	refOnError     = "on_error"
	refOnExhausted = "on_exhausted"
	refOnNo        = "on_no"
)

// Phases of a run, in the fixed order of policies.Actions: calls, ticket,
// remember, reply, finish, handoff, start, end. Runs are kept in the log while
// an effect is awaited, so a phase's number never changes: new phases are
// added at the end, and each phase says which comes next.
const (
	phaseCalls = iota
	phaseTicket
	phaseReply
	phaseFinish // reask, offer to continue, or complete / cancel the dialog
	phaseHandoff
	phaseStart
	phaseEnd
	phaseDone
	phaseRemember
)

// Step decides what the bot does with one input: the new state, the effects the
// engine must carry out (in order), and the events to append to the log. The
// returned state is exactly the events folded over st with Apply.
func Step(bot *policies.Bot, st State, in Input) (State, []Effect, []Event) {
	st, effects, events, _ := StepWantsKnowledge(bot, st, in)
	return st, effects, events
}

// StepWantsKnowledge is Step, and also says whether an answer from the
// knowledge base could have changed what it did: the message was not searched
// (Message.Searched is false) and reached a point where the dialog looks for
// an answer (nothing else understood it). The engine searches only then, and
// steps again from the same state with the answer; "yes" to a confirmation or
// a slot's answer costs no search.
func StepWantsKnowledge(bot *policies.Bot, st State, in Input) (State, []Effect, []Event, bool) {
	d := &decider{bot: bot, st: st, in: in}
	d.safely(d.step)
	return d.st, d.effects, d.events, d.wantsKnowledge
}

// decider carries one Step. Its state changes only through emit, which is what
// keeps Step and Replay in agreement. Runs are local: they reach the state only
// inside the Resume of an awaited effect.
type decider struct {
	bot     *policies.Bot
	st      State
	in      Input
	runs    []Run
	effects []Effect
	events  []Event
	steps   int
	// cachedEnv evaluates expressions in the current scope; nil once it changed.
	cachedEnv *policies.Env
	// wantsKnowledge: an unsearched message was looked up in the knowledge base.
	wantsKnowledge bool
	// backTo is the dialog the bot has just come back to: its next question
	// says what it is for.
	backTo string
	// saidFor is what the customer said for the dialog about to start, when
	// it is not their last message: a request kept for later.
	saidFor string
	// deciding is the handoff the rules with on = handoff are deciding about.
	deciding *HandoffRef
	// rejected is the value just rejected for a slot, which its invalid
	// message reads as slot.NAME, with the calls that checked it.
	rejected *rejection
	// ticket is the ticket a notice is about, for ticket.* (see onTicketUpdate).
	ticket *policies.TicketInfo
	// fold folds the step's events: no one keeps the states between them.
	fold folder
}

// safely turns a panic (a bug, or a bot model nobody foresaw) into an error event
// and the error reply, so one bad conversation never takes the engine down.
func (d *decider) safely(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			d.setRuns(nil)
			func() {
				defer func() { _ = recover() }()
				d.emit(Event{Type: EventError, Error: fmt.Sprintf("internal error: %v", r), Reset: true})
				d.reply(Reply{Text: builtin("error", d.lang())})
			}()
		}
	}()
	fn()
}

func (d *decider) step() {
	if d.bot == nil {
		d.bot = &policies.Bot{}
		d.emit(Event{Type: EventError, Error: "no bot is loaded"})
		d.reply(Reply{Text: builtin("error", d.lang())})
		return
	}
	switch {
	case d.in.Abort != "":
		d.emit(Event{Type: EventError, Error: d.in.Abort, Reset: true})
		d.sayError()
	case d.in.Message != nil:
		d.onMessage(d.in.Message)
	case d.in.Result != nil:
		d.onResult(d.in.Result)
	case d.in.HandBack != nil:
		d.onHandBack(d.in.HandBack)
	case d.in.Agent != nil:
		d.onAgent(d.in.Agent)
	case d.in.Satisfaction != nil:
		d.onSatisfaction(*d.in.Satisfaction)
	case d.in.Approval != nil:
		d.onApproval(d.in.Approval)
	case d.in.TicketUpdate != nil:
		d.onTicketUpdate(*d.in.TicketUpdate)
	case d.in.Survey:
		d.onSurvey()
	case d.in.LeaveQueue:
		d.onLeaveQueue()
	}
}

// emit records an event and folds it into the state.
func (d *decider) emit(ev Event) {
	ev.At = d.in.Now
	d.st = d.fold.apply(d.st, ev)
	if d.events == nil {
		// Room for what most inputs cause (a message, what it answers, a reply
		// or a call), in one allocation; an Event is large.
		d.events = make([]Event, 0, 4)
	}
	d.events = append(d.events, ev)
	if ev.Effect != nil {
		if d.effects == nil {
			d.effects = make([]Effect, 0, 2)
		}
		d.effects = append(d.effects, *ev.Effect)
	}
	if changesScope(ev) {
		d.scopeChanged()
	}
}

// changesScope reports whether folding ev may change what expressions see. The
// events listed change only what the dialog waits for (the question asked, an
// awaited effect, retry counts) or nothing at all.
func changesScope(ev Event) bool {
	switch ev.Type {
	case EventReplySent, EventRuleApplied, EventConfirmRequested, EventConfirmAnswered,
		EventDialogResumed, EventCallRequested, EventTicketRequested, EventSlotRejected,
		EventUnanswered, EventSlotOffered, EventOfferDeclined:
		return false
	case EventSlotRequested:
		return ev.Clear
	}
	return true
}

// pushRun starts an action list. A new run has no calls, ticket or frame yet, so
// the scope is unchanged.
func (d *decider) pushRun(r Run) { d.runs = append(d.runs, r) }

// popRun drops the innermost run, and with it the calls and frame it held.
func (d *decider) popRun() Run {
	r := d.runs[len(d.runs)-1]
	d.runs = d.runs[:len(d.runs)-1]
	d.scopeChanged()
	return r
}

func (d *decider) setRuns(runs []Run) {
	d.runs = runs
	d.scopeChanged()
}

// nextID is the id of an effect asked for by the next event: stable across a
// retried turn, unique within the conversation.
func (d *decider) nextID() string {
	return d.st.ConversationID + "/" + strconv.FormatInt(d.st.Seq+1, 10)
}

func (d *decider) lang() string {
	if d.bot == nil {
		return "en"
	}
	return language(d.bot, d.st.Language, "")
}

func (d *decider) top() *Frame {
	if n := len(d.st.Stack); n > 0 {
		return &d.st.Stack[n-1]
	}
	return nil
}

func (d *decider) onResult(res *Result) {
	p := d.st.Pending
	if p == nil || res.EffectID != p.Effect.ID {
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("result for effect %q, which is not awaited", res.EffectID)})
		return
	}
	resume := cloneResume(p.Resume)
	switch p.Effect.Kind {
	case EffectCall:
		name := ""
		if p.Effect.Call != nil {
			name = p.Effect.Call.Name
		}
		code := res.Error
		d.emit(Event{Type: EventCallCompleted, Call: name, Dialog: resume.Dialog, Data: res.Data, Error: code})
		d.setRuns(resume.Runs)
		if n := len(d.runs); n > 0 {
			r := &d.runs[n-1]
			r.Calls = setMap(r.Calls, name, CallResult{Data: res.Data, Error: code})
			r.CallIndex++
			if code != "" {
				d.runCallFailed(r.CallIndex-1, code)
			}
		} else if code != "" {
			d.skipDependants(resume.Dialog, name, code)
			d.dialogCallFailed(resume.Dialog, name, code)
		}
	case EffectTicket:
		d.emit(Event{Type: EventTicketOpened, TicketID: res.TicketID, Error: res.Error})
		d.setRuns(resume.Runs)
		if n := len(d.runs); n > 0 {
			if res.Error != "" || res.TicketID == "" {
				d.abortRun(fmt.Sprintf("the ticket could not be opened: %s", or(res.Error, "no ticket id")))
			} else {
				d.runs[n-1].TicketID = res.TicketID
				d.runs[n-1].Phase = phaseRemember
				d.scopeChanged()
			}
		}
	}
	d.loop()
}

func (d *decider) onHandBack(hb *HandBack) {
	if !d.st.HandedOff {
		return
	}
	// The agent has dealt with the request: the bot starts over quietly.
	d.emit(Event{Type: EventHandedBack, Agent: hb.Agent, Note: hb.Note})
}

// onAgent records what a human agent does. The agent's words reach the customer
// through the engine, not as bot replies, so they are events and not effects.
func (d *decider) onAgent(a *AgentAction) {
	ev := Event{Agent: a.Agent, AgentName: a.Name}
	switch a.Kind {
	case AgentJoined:
		ev.Type = EventAgentJoined
	case AgentMessage:
		ev.Type, ev.Text = EventAgentMessage, a.Text
	case AgentNote:
		ev.Type, ev.Text = EventAgentNote, a.Text
	case AgentTransferred:
		ev.Type, ev.Queue, ev.Note = EventHandoffTransferred, a.Queue, a.Text
	case AgentClosed:
		ev.Type, ev.Note = EventHandoffClosed, a.Text
	default:
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("unknown agent action %q", a.Kind)})
		return
	}
	if !d.st.HandedOff && a.Kind != AgentNote {
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("agent action %q on a conversation the bot has", a.Kind)})
		return
	}
	d.emit(ev)
	if a.Kind == AgentClosed && a.Survey {
		d.askSurvey()
	}
}

// askSurvey asks the customer for a score from 1 to 5, with a button each.
func (d *decider) askSurvey() {
	d.emit(Event{Type: EventSurveyRequested})
	m := d.bot.Replies.Survey
	if m == nil {
		return
	}
	if text, ok := d.render(m); ok {
		r := Reply{Text: text, Response: m.Name}
		for i := 1; i <= 5; i++ {
			n := strconv.Itoa(i)
			r.Buttons = append(r.Buttons, ReplyButton{Label: n, Payload: n})
		}
		d.reply(r)
	}
}

// onSatisfaction records a survey answer and thanks the customer once.
func (d *decider) onSatisfaction(a SatisfactionAnswer) {
	if a.Score < 1 || a.Score > 5 {
		d.emit(Event{Type: EventError, Error: fmt.Sprintf("satisfaction score %d is not from 1 to 5", a.Score)})
		return
	}
	if !d.st.Surveying {
		// Only a survey the bot asked is answered, once: scores nobody asked for
		// would skew the figures.
		d.emit(Event{Type: EventError, Error: "a satisfaction score came when no survey was asked"})
		return
	}
	d.emit(Event{Type: EventSatisfactionRecorded, Score: a.Score, Comment: a.Comment})
	d.say(d.bot.Replies.SurveyThanks)
}

// parseSatisfaction reads a survey answer: a score from 1 to 5 first ("4",
// "5 quick and friendly", "3分 一般", "★★★★"), then an optional comment.
func parseSatisfaction(text string) (SatisfactionAnswer, bool) {
	s := strings.TrimSpace(text)
	if stars := strings.Count(s, "★"); stars > 0 && stars <= 5 {
		rest := strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "★", ""), "☆", ""))
		return SatisfactionAnswer{Score: stars, Comment: rest}, true
	}
	if s == "" {
		return SatisfactionAnswer{}, false
	}
	r, size := utf8.DecodeRuneInString(s)
	if r < '1' || r > '5' {
		if r >= '１' && r <= '５' { // full-width digits, as Chinese keyboards type them
			r = '1' + (r - '１')
		} else {
			return SatisfactionAnswer{}, false
		}
	}
	rest := s[size:]
	if next, _ := utf8.DecodeRuneInString(rest); unicode.IsDigit(next) || next == '.' || next == '%' {
		return SatisfactionAnswer{}, false // "10", "4.5", "50%": not a score
	}
	rest = strings.TrimLeft(rest, " \t/分星!！.。,，:：-—")
	return SatisfactionAnswer{Score: int(r - '0'), Comment: strings.TrimSpace(rest)}, true
}

// ---- lookups ----

func (d *decider) dialog(name string) *policies.Dialog {
	for _, dlg := range d.bot.Dialogs {
		if dlg != nil && dlg.Name == name {
			return dlg
		}
	}
	return nil
}

func (d *decider) answerFor(intent string) *policies.Answer {
	for _, a := range d.bot.Answers {
		if a != nil && a.Intent == intent {
			return a
		}
	}
	return nil
}

// dialogFor is the first dialog the intent triggers whose when holds.
func (d *decider) dialogFor(intent string) *policies.Dialog {
	for _, dlg := range d.bot.Dialogs {
		if dlg != nil && slices.Contains(dlg.Triggers, intent) && d.cond(dlg.When, "when of dialog "+dlg.Name) {
			return dlg
		}
	}
	return nil
}

func slotOf(dlg *policies.Dialog, name string) *policies.Slot {
	if dlg == nil || name == "" {
		return nil
	}
	for _, s := range dlg.Slots {
		if s != nil && s.Name == name {
			return s
		}
	}
	return nil
}

func callOf(calls []*policies.Call, name string) *policies.Call {
	for _, c := range calls {
		if c != nil && c.Name == name {
			return c
		}
	}
	return nil
}

// callsReading lists the dialog's calls whose input reads slot: their results go
// stale when it changes.
func callsReading(dlg *policies.Dialog, slot string) []string {
	var out []string
	for _, c := range dlg.Calls {
		if c != nil && slices.Contains(c.Reads, slot) {
			out = append(out, c.Name)
		}
	}
	return out
}

// callReady reports whether every slot a call reads has a value and every call
// of the dialog it reads has answered. A value held until the calls that check
// it have run counts only for those calls: the others wait until it is taken.
// A call whose input reads the result of a call that failed does not run
// (see skipDependants); one that reads only its error (a fallback lookup, a
// log of the failure) does.
func (d *decider) callReady(dlg *policies.Dialog, f *Frame, c *policies.Call) bool {
	for _, name := range c.ReadsCalls {
		r, ran := f.Calls[name]
		if !ran || r.Error != "" && slices.Contains(c.ReadsResultOf, name) {
			return false
		}
	}
	for _, name := range c.Reads {
		if _, held := f.Held[name]; held {
			// Also when the held value corrects one the slot has: until it is
			// taken, the slot's value is in question.
			if slices.Contains(validatingCalls(dlg, slotOf(dlg, name)), c.Name) {
				continue
			}
			return false
		}
		if _, filled := f.Slots[name]; filled {
			continue
		}
		return false
	}
	return true
}

// skipDependants logs the calls of the dialog that will not run because
// call failed: those whose input reads its result, and then those that read
// theirs. Calls that read only its error run.
func (d *decider) skipDependants(dialog, call, code string) {
	f, dlg := d.top(), d.dialog(dialog)
	if f == nil || dlg == nil || f.Dialog != dialog {
		return
	}
	why := map[string]string{call: fmt.Sprintf("failed (%s)", code)}
	for grew := true; grew; {
		grew = false
		for _, c := range dlg.Calls {
			if _, ran := f.Calls[c.Name]; ran || why[c.Name] != "" {
				continue
			}
			for _, name := range c.ReadsResultOf {
				if cause := why[name]; cause != "" {
					reason := fmt.Sprintf("its input reads the result of call.%s, which %s", name, cause)
					d.emit(Event{Type: EventCallSkipped, Dialog: dialog, Call: c.Name, Reason: reason})
					why[c.Name], grew = "did not run", true
					break
				}
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// idempotencyKey is stable when a turn is retried (same conversation, same log
// position, same request) and differs for any other request, so a connector that
// honours keys never answers a new request with an old result.
func idempotencyKey(effectID string, c *policies.Call, input map[string]any) string {
	canonical, _ := json.Marshal(input) // map keys are sorted: canonical
	sum := sha256.Sum256([]byte(c.Connector + "\x00" + c.Operation + "\x00" + string(canonical)))
	return effectID + "/" + hex.EncodeToString(sum[:8])
}
