// Package engine runs a bot: one turn at a time per conversation, it locks the
// conversation, understands the message, steps the dialog, carries out the effects
// (connector calls, tickets, handoffs) and commits everything in one transaction.
package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// MaxMessageBytes bounds what one customer message may carry. Larger messages are
// refused with ErrMessageTooLarge rather than truncated, so nothing is silently lost.
const MaxMessageBytes = 16 << 10

const (
	// turnTimeout bounds one turn once it holds the conversation: connector calls
	// have their own, shorter timeouts.
	turnTimeout = 2 * time.Minute
	// knowledgeTimeout bounds a knowledge-base search (and generation) per message.
	knowledgeTimeout = 15 * time.Second
	// maxAwaitedEffects bounds connector calls and tickets in one turn.
	maxAwaitedEffects = 64
)

// Engine is a loaded bot ready to take turns. It is safe for concurrent use.
type Engine struct {
	bot          *policies.Bot
	nlu          *nlu.Model
	store        store.Store
	connectors   map[string]*connection
	clock        func() time.Time
	sleep        connectors.Sleeper
	observer     Observer
	masker       *policies.Masker // the bot's privacy settings, for the audit trail
	newID        func(kind string) string
	surveySample func(conversationID string, seq int64, rate float64) bool
	kb           *KnowledgeBase // nil: the bot has no knowledge
	// policyLabel names the policies for people (a git describe); recorded
	// with bot.Version on conversations and outcomes.
	policyLabel string
	queue       queueReporter
	// routing sends a conversation to the version of the policies serving it
	// (route.go); unset, this engine serves all.
	routing router
	// states keeps the states the last turns committed (nil: none).
	states *stateCache
}

// Options configure an Engine. Zero values are sensible defaults.
type Options struct {
	Store store.Store // required
	// Connectors is the registry connector types come from; nil means connectors.Default.
	Connectors *connectors.Registry
	// ConnectorSettings replace declared connector settings by name (tests give their own data).
	ConnectorSettings map[string]cty.Value
	Clock             func() time.Time // nil: time.Now
	// Sleep waits between connector retries; nil: a real wait. Tests make it instant.
	Sleep connectors.Sleeper
	// Observer is told about turns and connector calls (metrics); nil: nobody.
	Observer  Observer
	NewID     func(kind string) string // nil: random ids; tests use a counter
	Knowledge KnowledgeOptions
	// PolicyLabel is recorded beside the policies' content hash (a git
	// describe, a release name); "" for none.
	PolicyLabel string
	// StateCache is how many conversations' dialog states to keep decoded
	// between turns (see stateCache); 0: DefaultStateCache, negative: none.
	StateCache int
	// SurveySample says whether the contact of a conversation that ends at
	// seq is in the after_bot survey's sample, a share rate of them; nil:
	// outcome.Sampled, drawn from the conversation id. Tests draw from the
	// test's name, as their ids are new on every run, or force the draw.
	SurveySample func(conversationID string, seq int64, rate float64) bool
}

// Load reads, checks and compiles the bot in dir. Diagnostics are the user's mistakes.
func Load(dir string, reg *connectors.Registry) (*policies.Bot, hcl.Diagnostics) {
	if reg == nil {
		reg = connectors.Default
	}
	return policies.LoadDir(dir, policies.Options{Connectors: ConnectorTypes{Registry: reg}})
}

// New trains the NLU and opens the bot's connectors.
func New(ctx context.Context, bot *policies.Bot, opts Options) (*Engine, error) {
	if opts.Store == nil {
		return nil, errors.New("engine: no store")
	}
	reg := opts.Connectors
	if reg == nil {
		reg = connectors.Default
	}
	model, err := nlu.Train(ctx, TrainingData(bot), nlu.Options{})
	if err != nil {
		return nil, fmt.Errorf("train nlu: %w", err)
	}
	e := &Engine{
		bot:          bot,
		nlu:          model,
		store:        opts.Store,
		connectors:   map[string]*connection{},
		clock:        opts.Clock,
		sleep:        opts.Sleep,
		observer:     opts.Observer,
		masker:       bot.Masker(),
		newID:        opts.NewID,
		surveySample: opts.SurveySample,
		policyLabel:  opts.PolicyLabel,
		states:       newStateCache(opts.StateCache),
	}
	if e.clock == nil {
		e.clock = time.Now
	}
	if e.observer == nil {
		e.observer = nopObserver{}
	}
	if e.newID == nil {
		e.newID = randomID
	}
	if HasKnowledge(bot) {
		// Ingest on start: only new or changed chunks are embedded.
		if e.kb, _, err = OpenKnowledge(ctx, bot, opts.Store, opts.Knowledge); err != nil {
			return nil, err
		}
	}
	if err := e.openConnectors(reg, opts.ConnectorSettings); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// mergeSettings lays the attributes a test gives over the declared ones.
func mergeSettings(declared, override cty.Value) cty.Value {
	if declared == cty.NilVal || declared.IsNull() || !declared.Type().IsObjectType() {
		return override
	}
	if override == cty.NilVal || override.IsNull() || !override.Type().IsObjectType() {
		return declared
	}
	attrs := declared.AsValueMap()
	if attrs == nil {
		attrs = map[string]cty.Value{}
	}
	for k, v := range override.AsValueMap() {
		if !v.IsNull() {
			attrs[k] = v
		}
	}
	return cty.ObjectVal(attrs)
}

// Close releases connectors that hold resources.
func (e *Engine) Close() error {
	var errs []error
	for _, c := range e.connectors {
		if cl, ok := c.conn.(connectors.Closer); ok {
			errs = append(errs, cl.Close())
		}
	}
	return errors.Join(errs...)
}

// Bot returns the compiled bot the engine runs.
func (e *Engine) Bot() *policies.Bot { return e.bot }

// Understand runs only the NLU, for debugging and `parley chat -debug`.
func (e *Engine) Understand(text string) nlu.Result {
	return e.nlu.Parse(text, e.parseOptions(e.clock()))
}

func (e *Engine) parseOptions(now time.Time) nlu.ParseOptions { return ParseOptions(e.bot, now) }

// TrainingData turns the bot's intents and entities into what the NLU learns from.
func TrainingData(bot *policies.Bot) nlu.TrainingData {
	var td nlu.TrainingData
	for _, in := range bot.Intents {
		id := nlu.IntentData{Name: in.Name}
		for _, ex := range in.Examples {
			ed := nlu.ExampleData{Text: ex.Text}
			for _, a := range ex.Annotations {
				ed.Annotations = append(ed.Annotations, nlu.AnnotationData{Entity: a.Entity, Start: a.Start, End: a.End})
			}
			id.Examples = append(id.Examples, ed)
		}
		td.Intents = append(td.Intents, id)
	}
	for _, name := range sortedKeys(bot.Entities) {
		ent := bot.Entities[name]
		ed := nlu.EntityData{Name: ent.Name, IgnoreCase: ent.IgnoreCase}
		if ent.Pattern != nil {
			ed.Pattern = ent.Pattern.String()
		}
		for _, v := range ent.Values {
			ed.Values = append(ed.Values, nlu.EntityValueData{Canonical: v.Canonical, Synonyms: v.Synonyms})
		}
		td.Entities = append(td.Entities, ed)
	}
	return td
}

// validateMessage refuses what no customer could mean, before anything is locked.
func validateMessage(m Message) error {
	switch {
	case strings.TrimSpace(m.ConversationID) == "":
		return fmt.Errorf("%w: conversation id is empty", ErrInvalidInput)
	case len(m.ConversationID) > 200:
		return fmt.Errorf("%w: conversation id is longer than 200 bytes", ErrInvalidInput)
	case len(m.ClientMessageID) > 200:
		return fmt.Errorf("%w: client message id is longer than 200 bytes", ErrInvalidInput)
	case len(m.Text) > MaxMessageBytes:
		return fmt.Errorf("%w: message is %d bytes, the limit is %d", ErrMessageTooLarge, len(m.Text), MaxMessageBytes)
	case !utf8.ValidString(m.Text):
		return fmt.Errorf("%w: message is not valid UTF-8", ErrInvalidInput)
	}
	// The HTTP side refuses U+0000 already; this keeps every other way in (the
	// terminal chat, tests) the same on every store, since PostgreSQL cannot
	// store it in text.
	for field, v := range map[string]string{"message": m.Text, "conversation id": m.ConversationID, "client message id": m.ClientMessageID, "customer id": m.CustomerID, "channel": m.Channel} {
		if strings.IndexByte(v, 0) >= 0 {
			return fmt.Errorf("%w: %s contains a NUL character (U+0000)", ErrInvalidInput, field)
		}
	}
	return nil
}
