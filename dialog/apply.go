package dialog

import (
	"maps"
	"slices"

	"github.com/parleyhq/parley/policies"
)

// NewState is the state of a conversation that has not started.
func NewState(conversationID string) State {
	return State{ConversationID: conversationID}
}

// Awaiting returns the effect whose Result the dialog needs before it can go on,
// or nil.
func (s State) Awaiting() *Effect {
	if s.Pending == nil {
		return nil
	}
	e := s.Pending.Effect
	return &e
}

// Replay rebuilds the state from a snapshot (or NewState) and the events after it.
// The bot is not needed to fold events; it is accepted so a future version can
// migrate old logs against the current model.
func Replay(bot *policies.Bot, snapshot State, events []Event) State {
	_ = bot
	var f folder
	st := snapshot
	for _, ev := range events {
		st = f.apply(st, ev)
	}
	return st
}

// Apply folds one event into a state. It never modifies its argument: maps and
// slices are copied before they change, so earlier states stay valid.
func Apply(st State, ev Event) State { return apply(st, ev, false) }

// folder folds a run of events whose intermediate states nobody keeps (a
// step's, a replay's): the session log is copied by the first event that
// changes it and changed in place by the next ones, instead of copied again
// for each (the copies were 4% of a shop turn's CPU).
type folder struct {
	session *SessionLog // the log this run copied, which it alone holds
}

func (f *folder) apply(st State, ev Event) State {
	before := st.Session
	st = apply(st, ev, before != nil && before == f.session)
	if st.Session != before {
		f.session = st.Session // a copy Apply made, or nil
	}
	return st
}

// apply is Apply; with ownSession, it may change st's session log in place.
func apply(st State, ev Event, ownSession bool) State {
	st.Seq++
	switch ev.Type {
	case EventMessageReceived:
		if st.Ended {
			st = freshSession(st)
			st.Ended = false
		}
		st.Turns++
		st.LastActivity = ev.At
		st.Offered = nil // answered: its label was recorded with the message
		st.TicketID = "" // ticket.id is the ticket of this turn
		if ev.Message != nil {
			m := *ev.Message
			m.Entities = slices.Clone(m.Entities)
			st.Last = &m
		}
		st.SaidBefore = st.LastResponse
		if ev.Language != "" {
			st.Language = ev.Language
		}
	case EventIntentRecognized, EventKnowledgeAnswered:
		st.Failures = 0
	case EventNotUnderstood:
		st.Failures++
	case EventSessionExpired:
		st = freshSession(st)
	case EventDialogStarted:
		st.Stack = append(slices.Clone(st.Stack), Frame{Dialog: ev.Dialog})
	case EventSlotFilled, EventSlotCorrected:
		st = editTop(st, ev.Dialog, func(f *Frame) {
			if ev.Value != nil {
				f.Slots = setMap(f.Slots, ev.Slot, *ev.Value)
			}
			f.Offers = deleteKey(f.Offers, ev.Slot)
			f.Held = deleteKey(f.Held, ev.Slot)
			f.Preset = without(f.Preset, ev.Slot)
			// Retries are not reset: a value that is well-formed but fails later
			// (the order doesn't exist) still uses up an attempt.
			f.Calls = deleteKeys(f.Calls, ev.Invalidated)
			if ev.Type == EventSlotCorrected {
				f.Confirmed = false
			}
			// Whatever was asked is re-decided from the new slots.
			f.Asking, f.Question = "", ""
		})
		st.Failures = 0
	case EventSlotRejected:
		st = editTop(st, ev.Dialog, func(f *Frame) {
			if !ev.Preset {
				f.Retries = setMap(f.Retries, ev.Slot, f.Retries[ev.Slot]+1)
			}
			f.Held = deleteKey(f.Held, ev.Slot)
			f.Preset = without(f.Preset, ev.Slot)
			f.Offers = deleteKey(f.Offers, ev.Slot)
			f.Calls = deleteKeys(f.Calls, ev.Invalidated)
		})
	case EventSlotHeld:
		st = editTop(st, ev.Dialog, func(f *Frame) {
			if ev.Value != nil {
				f.Held = setMap(f.Held, ev.Slot, *ev.Value)
			}
			f.Preset = without(f.Preset, ev.Slot)
			if ev.Preset {
				f.Preset = append(f.Preset, ev.Slot)
				slices.Sort(f.Preset)
			}
			f.Calls = deleteKeys(f.Calls, ev.Invalidated)
			f.Asking, f.Question = "", ""
		})
	case EventSwitchAsked:
		st = editTop(st, ev.Dialog, func(f *Frame) {
			f.Asking, f.Question = askSwitch, ""
			f.Switch = &Switch{Dialog: ev.Next, Message: ev.NextMessage}
		})
	case EventSwitchAnswered, EventResumeAnswered:
		st = editTop(st, ev.Dialog, func(f *Frame) {
			// Yes to a switch: the other dialog goes on top of this one, which
			// still waits (for resumeBelow) until it is done.
			if !(ev.Type == EventSwitchAnswered && ev.Answer == "yes") {
				f.Asking, f.Question = "", ""
			}
			f.Switch = nil
		})
	case EventResumeAsked:
		st = editTop(st, ev.Dialog, func(f *Frame) {
			f.Asking, f.Question = askResume, ""
			if ev.ResetRetries {
				f.Retries = nil
			}
		})
	case EventPolicyApplied:
		// The policy dealt with whatever it matched: the failures it counted
		// must not make it, or another, match again on the next message.
		st.Failures = 0
		st.Fired = setMap(st.Fired, "handoff "+ev.Rule, true)
	case EventRuleApplied:
		if ev.Rule != "" {
			st.Fired = setMap(st.Fired, "rule "+ev.Rule, true)
		}
	case EventSlotRequested:
		st = editTop(st, ev.Dialog, func(f *Frame) {
			if ev.Clear {
				f.Slots = deleteKey(f.Slots, ev.Slot)
				f.Calls = deleteKeys(f.Calls, ev.Invalidated)
				f.Confirmed = false
			}
			if ev.Retry {
				f.Retries = setMap(f.Retries, ev.Slot, f.Retries[ev.Slot]+1)
			}
			f.Asking, f.Question = ev.Slot, ""
			if ev.Offer {
				f.Asking = askReuse + ev.Slot
			}
		})
	case EventSlotOffered:
		st = editTop(st, ev.Dialog, func(f *Frame) {
			if ev.Value != nil {
				f.Offers = setMap(f.Offers, ev.Slot, *ev.Value)
			}
		})
	case EventOfferDeclined:
		st = editTop(st, ev.Dialog, func(f *Frame) {
			f.Offers = deleteKey(f.Offers, ev.Slot)
			f.Held = deleteKey(f.Held, ev.Slot)
			f.Preset = without(f.Preset, ev.Slot)
			f.Asking, f.Question = "", ""
		})
	case EventRemembered:
		mem := maps.Clone(st.Memory)
		if mem == nil {
			mem = map[string]any{}
		}
		for k, v := range ev.Memory {
			if v == nil {
				delete(mem, k)
			} else {
				mem[k] = v
			}
		}
		if len(mem) == 0 {
			mem = nil
		}
		st.Memory = mem
	case EventConfirmRequested:
		st = editTop(st, ev.Dialog, func(f *Frame) { f.Asking, f.Question = askConfirm, "" })
	case EventConfirmAnswered:
		st = editTop(st, ev.Dialog, func(f *Frame) {
			f.Asking, f.Question = "", ""
			f.Confirmed = ev.Answer == "yes"
		})
	case EventDialogResumed:
		st = editTop(st, ev.Dialog, func(f *Frame) { f.Asking, f.Question = "", "" })
	case EventReplySent:
		if ev.Effect != nil && ev.Effect.Reply != nil {
			if !st.Surveying {
				// The survey's question is not what the bot last said: a
				// message that is no score is handled as if it had not been
				// asked, so a rule on "yes" to the bot's offer still sees it.
				st.LastResponse = ev.Effect.Reply.Response
			}
			// The buttons stay on offer, as the web chat shows them, until the
			// customer answers or the bot offers others.
			if len(ev.Effect.Reply.Buttons) > 0 {
				st.Offered = slices.Clone(ev.Effect.Reply.Buttons)
			}
			// The first reply after the question is asked is the question; an
			// invalid message said after a wrong answer does not replace it.
			if n := len(st.Stack); n > 0 && st.Stack[n-1].Asking != "" && st.Stack[n-1].Question == "" {
				st = editTop(st, "", func(f *Frame) { f.Question = ev.Effect.Reply.Text })
			}
		}
	case EventDialogCompleted, EventDialogCancelled:
		if n := len(st.Stack); n > 0 && st.Stack[n-1].Dialog == ev.Dialog {
			st.Stack = slices.Clone(st.Stack[:n-1])
		}
	case EventCallRequested, EventTicketRequested:
		if ev.Effect != nil {
			p := &Pending{Effect: *ev.Effect}
			if ev.Resume != nil {
				p.Resume = cloneResume(*ev.Resume)
			}
			st.Pending = p
		}
	case EventCallCompleted:
		if p := st.Pending; p != nil && p.Resume.Dialog != "" && len(p.Resume.Runs) == 0 {
			st = editTop(st, p.Resume.Dialog, func(f *Frame) {
				f.Calls = setMap(f.Calls, p.Resume.Call, CallResult{Data: ev.Data, Error: ev.Error})
			})
		}
		st.Pending = nil
	case EventTicketOpened:
		st.Pending = nil
		if ev.TicketID != "" {
			st.TicketID = ev.TicketID
		}
	case EventRequestQueued:
		st.Later = append(slices.Clip(st.Later), LaterRequest{Intent: ev.Intent, Dialog: ev.Dialog, Message: ev.NextMessage})
	case EventRequestTaken:
		if len(st.Later) > 0 {
			st.Later = slices.Clone(st.Later[1:])
		}
		if len(st.Later) == 0 {
			st.Later = nil
		}
	case EventHandoffRequested:
		st.Later = nil
		st.HandedOff = true
		var req *HandoffRequest
		if ev.Effect != nil && ev.Effect.Handoff != nil {
			req = ev.Effect.Handoff
			st.HandoffQueue = req.Queue
		}
		st.HandoffSummary = summaryRequest(req)
		st.Stack = nil
		st.Pending = nil
	case EventAgentJoined:
		st.Agent = ev.AgentName
	case EventHandoffTransferred:
		st.Agent = ""
		st.HandoffQueue = ev.Queue
	case EventSurveyRequested:
		st.Surveying = true
	case EventSatisfactionRecorded, EventSurveySkipped:
		st.Surveying = false
	case EventHandedBack, EventHandoffClosed, EventQueueLeft:
		st.HandedOff = false
		st.HandoffQueue = ""
		st.HandoffSummary = nil
		st.Agent = ""
		st.Failures = 0
		st.Stack = nil
		st.Pending = nil
		st.LastActivity = ev.At
	case EventApprovalRequested, EventApprovalDecided:
		st = applyApproval(st, ev)
	case EventConversationEnded:
		st.Later = nil
		st.Ended = true
		st.Stack = nil
		st.Pending = nil
	case EventError:
		if ev.Reset {
			st.Stack = nil
			st.Pending = nil
			st.Later = nil
		}
		if ev.Abandon {
			st.Pending = nil
		}
	}
	return foldSession(st, ev, ownSession)
}

// freshSession forgets the dialogs of an old session but keeps who the customer is
// and the conversation's language and counters.
func freshSession(st State) State {
	st.Stack = nil
	st.Later = nil
	st.Pending = nil
	st.Failures = 0
	st.TicketID = ""
	st.Memory = nil
	st.Fired = nil
	st.Session = nil
	return st
}

// editTop applies fn to a copy of the top frame, when it is the named dialog.
func editTop(st State, dialog string, fn func(*Frame)) State {
	n := len(st.Stack)
	if n == 0 || (dialog != "" && st.Stack[n-1].Dialog != dialog) {
		return st
	}
	st.Stack = slices.Clone(st.Stack)
	f := st.Stack[n-1]
	fn(&f)
	st.Stack[n-1] = f
	return st
}

func setMap[V any](m map[string]V, k string, v V) map[string]V {
	m = maps.Clone(m)
	if m == nil {
		m = map[string]V{}
	}
	m[k] = v
	return m
}

func deleteKey[V any](m map[string]V, k string) map[string]V {
	if _, ok := m[k]; !ok {
		return m
	}
	m = maps.Clone(m)
	delete(m, k)
	if len(m) == 0 {
		return nil
	}
	return m
}

func deleteKeys[V any](m map[string]V, keys []string) map[string]V {
	for _, k := range keys {
		m = deleteKey(m, k)
	}
	return m
}

func cloneFrame(f Frame) Frame {
	f.Slots = maps.Clone(f.Slots)
	f.Calls = maps.Clone(f.Calls)
	f.Retries = maps.Clone(f.Retries)
	f.Offers = maps.Clone(f.Offers)
	f.Held = maps.Clone(f.Held)
	f.Preset = slices.Clone(f.Preset)
	if f.Switch != nil {
		sw := *f.Switch
		f.Switch = &sw
	}
	return f
}

func cloneRuns(runs []Run) []Run {
	if runs == nil {
		return nil
	}
	out := make([]Run, len(runs))
	for i, r := range runs {
		r.Calls = maps.Clone(r.Calls)
		if r.Handoff != nil {
			h := *r.Handoff
			r.Handoff = &h
		}
		if r.Frame != nil {
			f := cloneFrame(*r.Frame)
			r.Frame = &f
		}
		out[i] = r
	}
	return out
}

func cloneResume(r Resume) Resume {
	r.Runs = cloneRuns(r.Runs)
	return r
}

// without is list without name, as a new slice (nil when empty).
func without(list []string, name string) []string {
	if !slices.Contains(list, name) {
		return list
	}
	var out []string
	for _, n := range list {
		if n != name {
			out = append(out, n)
		}
	}
	return out
}
