package engine

import (
	"encoding/json"
	"time"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

// Store returns where the engine keeps conversations, for readiness checks and
// for a reload that builds the next engine on the same store.
func (e *Engine) Store() store.Store { return e.store }

// Masker masks the personal data the bot's privacy block names, for logs.
func (e *Engine) Masker() *policies.Masker { return e.masker }

// Now is the engine's clock, so that the human side stamps records with the
// same time as turns (tests set it).
func (e *Engine) Now() time.Time { return e.clock() }

// SetObserver tells the engine whom to tell about turns and connector calls.
// Call it before the engine takes turns.
func (e *Engine) SetObserver(o Observer) {
	if o == nil {
		o = nopObserver{}
	}
	e.observer = o
}

// ID is an identifier in an audit detail (a policy version's hash, a ticket,
// handoff or approval id: "T-" and 16 hex digits, which may run to ten): it
// is masked as Masker.Token masks ids, not as free text, which reads the
// digits inside a hash such as "cb8084582662fa11" as a phone number and
// leaves the audit unable to say which version was promoted.
type ID string

// Audit makes an audit entry for something done outside a turn (an agent's or
// an admin's action), with personal data masked as the bot's privacy block says.
func (e *Engine) Audit(actor, action, conversationID string, detail map[string]any) store.AuditEntry {
	raw, _ := json.Marshal(MaskValue(e.masker, detail))
	return store.AuditEntry{At: e.clock(), Actor: actor, Action: action, ConversationID: conversationID, Detail: raw}
}

// NewID makes an id of a kind ("c" for a conversation, "ticket"...) the way the
// engine does: random, or a sequence in tests.
func (e *Engine) NewID(kind string) string { return e.newID(kind) }

// Knowledge is the bot's knowledge base, nil when it has none: the console
// suggests answers from it.
func (e *Engine) Knowledge() *KnowledgeBase { return e.kb }
