// Package plan says what a change of policies would have done to the
// conversations a bot has already had: `parley plan NEWBOT`. It replays each
// recorded conversation under the new policies, in memory: the customer's
// messages come from the event log and go through the new NLU and
// dialog.Step; connector calls are answered from the calls the log recorded
// (the same operation and inputs get the recorded answer); nothing is written
// to the store and no connector is called. A call the log never recorded
// stops the replay of that conversation, "needs a live answer", unless
// Options.Mocks lets the bot's mock blocks answer it.
//
// The comparison uses the outcome classification of reports (dialog/outcome)
// and lists, for every conversation that changed, the first turn whose
// replies or actions differ and why. docs/change-a-rule.md shows it in use.
package plan

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// Options configure a Planner.
type Options struct {
	// Mocks answers calls the log never recorded from the bot's top-level
	// mock blocks (those outside any test), in source order.
	Mocks bool
}

// Planner replays recorded conversations under one bot's policies. It is
// safe for concurrent use.
type Planner struct {
	bot   *policies.Bot
	model *nlu.Model
	// kb searches the new policies' knowledge in memory; nil when the bot has
	// none, or when searching needs a service (an embedder or a generator
	// over the network): recorded answers stand in then.
	kb    *engine.KnowledgeBase
	hasKB bool
	faqs  *engine.FAQIndex // nil: no FAQs
	// answers caches kb's answers by question: customers ask the same things,
	// and a search is the dearest part of a replay.
	answers  sync.Map // string -> *dialog.KnowledgeAnswer (nil: no answer)
	cached   atomic.Int64
	mocks    []*policies.Mock
	useMocks bool
	// readsCustomer: some expression reads customer.*, so a missing profile matters.
	readsCustomer bool
}

// New trains the bot's NLU and, when its knowledge base embeds offline,
// indexes it in memory.
func New(ctx context.Context, bot *policies.Bot, opts Options) (*Planner, error) {
	model, err := nlu.Train(ctx, engine.TrainingData(bot), nlu.Options{})
	if err != nil {
		return nil, fmt.Errorf("train nlu: %w", err)
	}
	p := &Planner{bot: bot, model: model, hasKB: engine.HasKnowledge(bot), faqs: engine.NewFAQIndex(bot), useMocks: opts.Mocks, readsCustomer: readsRoot(bot, "customer")}
	if p.hasKB && offlineKnowledge(bot) {
		if p.kb, _, err = engine.OpenKnowledge(ctx, bot, memstore.New(), engine.KnowledgeOptions{}); err != nil {
			return nil, fmt.Errorf("knowledge: %w", err)
		}
	}
	if opts.Mocks {
		// Only the top-level mocks: they stand for the systems' usual answers,
		// where a test's own mocks play its scene (an outage, a refusal).
		p.mocks = bot.Mocks
	}
	return p, nil
}

// Bot is the policies the planner replays under.
func (p *Planner) Bot() *policies.Bot { return p.bot }

// offlineKnowledge: the built-in embedder and no generation, so a search
// calls nothing outside the process.
func offlineKnowledge(bot *policies.Bot) bool {
	k := bot.Knowledge
	return k == nil || (k.Generate == nil && (k.Embedder.Provider == "" || k.Embedder.Provider == "builtin"))
}

// maxCachedAnswers bounds the answer cache.
const maxCachedAnswers = 200_000

// searchKnowledge asks the in-memory knowledge base, through the cache.
func (p *Planner) searchKnowledge(ctx context.Context, question string) (*dialog.KnowledgeAnswer, error) {
	if v, ok := p.answers.Load(question); ok {
		return v.(*dialog.KnowledgeAnswer), nil
	}
	ans, ok, err := p.kb.Answer(ctx, question)
	if err != nil {
		return nil, err
	}
	var out *dialog.KnowledgeAnswer
	if ok {
		out = knowledgeAnswer(ans)
	}
	if p.cached.Add(1) <= maxCachedAnswers {
		p.answers.Store(question, out)
	}
	return out, nil
}

// knowledgeAnswer converts the engine's answer for the dialog.
func knowledgeAnswer(a engine.KnowledgeAnswer) *dialog.KnowledgeAnswer {
	return &dialog.KnowledgeAnswer{ChunkID: a.ChunkID, Title: a.Title, Source: a.Source, Text: a.Text, Score: a.Score}
}

// readsRoot says whether any expression of the bot reads a variable of root
// (customer.vip, customer.name...).
func readsRoot(bot *policies.Bot, root string) bool {
	found := false
	for _, f := range bot.Files {
		body, ok := f.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
			if e, ok := n.(hclsyntax.Expression); ok {
				for _, t := range e.Variables() {
					if t.RootName() == root {
						found = true
					}
				}
			}
			return nil
		})
	}
	return found
}

// notes say what the recorded logs lack for a faithful replay.
func (p *Planner) notes(a *aggregate) []string {
	var out []string
	if p.readsCustomer && a.noProfile > 0 {
		out = append(out, fmt.Sprintf("%d conversations were recorded before Parley kept the customer profile and the agents online with each message: they replay without them, so conditions on customer.* (vip, name...) read as if no profile was sent, and on queues as if nobody was online.", a.noProfile))
	}
	if p.hasKB && p.kb == nil {
		out = append(out, "The knowledge base embeds or generates through a service, which a plan does not call: knowledge answers come from the log, and a search the log has no answer for needs a live answer.")
	}
	return out
}
