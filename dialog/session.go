package dialog

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// SessionLog is what happened in the conversation's current session, kept
// for the handoff summary: the stack forgets a dialog once it is done, but an
// agent taking over needs to know that the bot already tracked order AB123456
// and found it delayed. It is folded from the events like the rest of the
// state and forgotten with the session.
type SessionLog struct {
	Messages      int `json:"messages,omitempty"`       // the customer's messages
	NotUnderstood int `json:"not_understood,omitempty"` // of them, those the bot did not understand
	// Misread is the last message the bot did not understand, as the customer wrote it.
	Misread string `json:"misread,omitempty"`
	// Sentiment is the lowest sentiment of the customer's messages (0: none negative).
	Sentiment float64 `json:"sentiment,omitempty"`
	// Notes are the dialogs, call results, rules and approvals, oldest first,
	// at most maxSessionNotes (the latest).
	Notes []SessionNote `json:"notes,omitempty"`
}

// SessionNote is one thing the bot did in a session.
type SessionNote struct {
	Kind string `json:"kind"` // noteDialog, noteCall, noteRule, noteApproval or noteAsked
	// Name: the dialog, call or rule; the approval's request id; the dialog
	// (or, with none, the intent) of a request that waits.
	Name string `json:"name"`
	// Said is the customer's message that started a dialog, or asked for
	// the request that waits, as they wrote it.
	Said string `json:"said,omitempty"`
	// Status: a dialog's ("" while open, "completed", "cancelled", "handed_off");
	// a call's error code ("" when it answered); an approval's decision.
	Status string            `json:"status,omitempty"`
	Slots  map[string]string `json:"slots,omitempty"` // a dialog's values, the latest per slot
	// Found is what a call's answer says in a word ("status delayed"); an
	// approval's reason.
	Found  string   `json:"found,omitempty"`
	Amount *float64 `json:"amount,omitempty"` // a rule's amount, when it reports one
	// Why a dialog was cancelled: retries_exhausted, call_failed, declined.
	Why string `json:"why,omitempty"`
}

const (
	noteDialog   = "dialog"
	noteCall     = "call"
	noteRule     = "rule"
	noteApproval = "approval"
	// noteAsked is a request a message made besides the one the bot took up
	// first, while it waits (see later.go): the agent should know of it.
	noteAsked = "asked"

	// maxSessionNotes bounds the state a long session carries: an agent
	// reads the latest few things anyway.
	maxSessionNotes = 12
	// negativeSentiment is where a message reads as upset.
	negativeSentiment = -0.5
)

// foldSession records ev in the session log of st, which Apply has already
// updated otherwise (a slot's dialog is the one on top of the stack). With
// own, the log is the caller's alone and changes in place.
func foldSession(st State, ev Event, own bool) State {
	switch ev.Type {
	case EventMessageReceived, EventNotUnderstood, EventDialogStarted, EventSlotFilled, EventSlotCorrected,
		EventDialogCompleted, EventDialogCancelled, EventCallCompleted, EventRuleApplied,
		EventApprovalRequested, EventApprovalDecided, EventHandoffRequested, EventRequestQueued, EventRequestTaken:
	default:
		return st
	}
	log := st.Session
	if !own || log == nil {
		log = cloneSession(st.Session)
	}
	switch ev.Type {
	case EventMessageReceived:
		log.Messages++
		if m := ev.Message; m != nil && m.Sentiment < log.Sentiment {
			log.Sentiment = m.Sentiment
		}
	case EventNotUnderstood:
		log.NotUnderstood++
		if st.Last != nil {
			log.Misread = customerWords(st.Last)
		}
	case EventDialogStarted:
		n := SessionNote{Kind: noteDialog, Name: ev.Dialog, Said: ev.Text}
		if n.Said == "" && st.Last != nil {
			n.Said = customerWords(st.Last)
		}
		log.add(n)
	case EventRequestQueued:
		n := SessionNote{Kind: noteAsked, Name: or(ev.Dialog, ev.Intent)}
		if ev.NextMessage != nil {
			n.Said = strings.TrimSpace(ev.NextMessage.Text)
		}
		log.add(n)
	case EventRequestTaken:
		name := or(ev.Dialog, ev.Intent)
		if i := slices.IndexFunc(log.Notes, func(n SessionNote) bool { return n.Kind == noteAsked && n.Name == name }); i >= 0 {
			log.Notes = slices.Delete(log.Notes, i, i+1)
		}
	case EventSlotFilled, EventSlotCorrected:
		if ev.Value == nil || ev.Value.Value == "" || len(st.Stack) == 0 {
			return st
		}
		if n := log.open(st.Stack[len(st.Stack)-1].Dialog); n != nil {
			n.Slots = maps.Clone(n.Slots)
			if n.Slots == nil {
				n.Slots = map[string]string{}
			}
			n.Slots[ev.Slot] = ev.Value.Value
		}
	case EventDialogCompleted, EventDialogCancelled:
		if n := log.open(ev.Dialog); n != nil {
			n.Status = "completed"
			if ev.Type == EventDialogCancelled {
				n.Status, n.Why = "cancelled", ev.Reason
			}
		}
	case EventHandoffRequested:
		// The dialogs still open are those the agent takes over.
		for i := range log.Notes {
			if n := &log.Notes[i]; n.Kind == noteDialog && n.Status == "" {
				n.Status = "handed_off"
			}
		}
	case EventCallCompleted:
		log.add(SessionNote{Kind: noteCall, Name: ev.Call, Status: ev.Error, Found: foundIn(ev.Data)})
	case EventRuleApplied:
		if ev.Rule == "" {
			return st // a dialog's outcome: the dialog's own note says how it ended
		}
		var amount *float64
		if ev.Amount != nil {
			a := *ev.Amount
			amount = &a
		}
		n := SessionNote{Kind: noteRule, Name: ev.Rule, Amount: amount}
		// A rule that applies on every message is told once.
		if slices.ContainsFunc(log.Notes, func(o SessionNote) bool { return sameRule(o, n) }) {
			return st
		}
		log.add(n)
	case EventApprovalRequested:
		if ev.Effect != nil && ev.Effect.Approval != nil {
			log.add(SessionNote{Kind: noteApproval, Name: ev.Effect.ID, Found: ev.Effect.Approval.Reason})
		}
	case EventApprovalDecided:
		if ev.Approval != nil {
			for i := range log.Notes {
				if n := &log.Notes[i]; n.Kind == noteApproval && n.Name == ev.Approval.Request {
					n.Status = ev.Approval.Decision
				}
			}
		}
	}
	st.Session = log
	return st
}

// cloneSession copies a log before it changes, so earlier states stay valid
// (the notes' slot maps are replaced, never written, once shared).
func cloneSession(l *SessionLog) *SessionLog {
	if l == nil {
		return &SessionLog{}
	}
	c := *l
	c.Notes = slices.Clone(l.Notes)
	return &c
}

func (l *SessionLog) add(n SessionNote) {
	if len(l.Notes) == maxSessionNotes {
		l.Notes = slices.Delete(l.Notes, 0, 1)
	}
	l.Notes = append(l.Notes, n)
}

// open is the latest note of dialog, while it is open.
func (l *SessionLog) open(dialog string) *SessionNote {
	for i := len(l.Notes) - 1; i >= 0; i-- {
		if n := &l.Notes[i]; n.Kind == noteDialog && n.Name == dialog && n.Status == "" {
			return n
		}
	}
	return nil
}

// customerWords is a message as the customer wrote it (a button by its label).
func customerWords(m *MessageRecord) string {
	return strings.TrimSpace(or(m.Label, m.Text))
}

// foundIn is what a call's answer says in a word: its status, the field
// systems answer a lookup with. Other fields may hold personal data (an
// address) or be long; the agent sees them in the console.
func foundIn(data map[string]any) string {
	for _, k := range []string{"status", "state"} {
		switch v := data[k].(type) {
		case string:
			if v = strings.TrimSpace(v); v != "" && len([]rune(v)) <= 40 {
				return k + " " + v
			}
		case bool, float64, int, int64:
			return fmt.Sprintf("%s %v", k, v)
		}
	}
	return ""
}

func sameRule(a, b SessionNote) bool {
	return a.Kind == noteRule && b.Kind == noteRule && a.Name == b.Name &&
		(a.Amount == nil) == (b.Amount == nil) && (a.Amount == nil || *a.Amount == *b.Amount)
}
