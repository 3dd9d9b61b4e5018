package desk

import (
	"slices"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// Classification is where a ticket without a chat goes, and why.
type Classification struct {
	Queue    string `json:"queue"`
	Priority string `json:"priority"`
	// Rule is the triage block that matched; "" when none did and the ticket
	// went to the intake queue.
	Rule       string            `json:"rule"`
	Intent     string            `json:"intent"` // the confident intent of the text, "" when none
	Confidence float64           `json:"confidence"`
	Language   string            `json:"language"`
	Entities   map[string]string `json:"entities"` // the first value of each entity found
}

// Classify runs the bot's NLU on a ticket's text (subject and description)
// and picks its queue and priority with the bot's triage blocks, in order;
// the intake queue takes what none matches.
func (d *Desk) Classify(text string) Classification {
	bot := d.e.Bot()
	u := d.e.Understand(text)
	c := Classification{Language: u.Language, Confidence: u.Top().Confidence, Entities: map[string]string{}}
	if c.Language == "" && len(bot.Languages) > 0 {
		c.Language = bot.Languages[0]
	}
	if top := u.Top(); top.Confidence >= bot.ConfidenceThreshold {
		c.Intent = top.Name
	}
	for _, e := range u.Entities {
		if _, seen := c.Entities[e.Type]; !seen {
			c.Entities[e.Type] = e.Value
		}
	}
	lower := strings.ToLower(text)
	for _, tr := range bot.Triage {
		if tr != nil && d.matches(tr, lower, c, u) {
			c.Queue, c.Priority, c.Rule = tr.Queue, tr.Priority, tr.Name
			break
		}
	}
	if c.Queue == "" {
		c.Queue = bot.IntakeQueue()
	}
	if c.Priority == "" {
		c.Priority = "normal"
		if q := bot.Queues[c.Queue]; q != nil && q.Priority != "" {
			c.Priority = q.Priority
		}
	}
	return c
}

// matches reports whether every condition of tr holds for the text.
func (d *Desk) matches(tr *policies.Triage, lower string, c Classification, u nlu.Result) bool {
	if len(tr.Keywords) > 0 && !slices.ContainsFunc(tr.Keywords, func(k string) bool { return strings.Contains(lower, strings.ToLower(k)) }) {
		return false
	}
	if len(tr.Intents) > 0 && !slices.Contains(tr.Intents, c.Intent) {
		return false
	}
	for _, ent := range tr.Entities {
		if _, ok := c.Entities[ent]; !ok {
			return false
		}
	}
	if tr.When == nil {
		return true
	}
	entities := map[string]cty.Value{}
	for _, e := range u.Entities {
		if _, seen := entities[e.Type]; seen {
			continue
		}
		if e.Number != 0 || e.Type == "number" || e.Type == "money" {
			entities[e.Type] = cty.NumberFloatVal(e.Number)
		} else {
			entities[e.Type] = cty.StringVal(e.Value)
		}
	}
	ok, _ := d.e.Bot().Cond(tr.When, policies.Scope{
		Intent:       policies.IntentInfo{Name: c.Intent, Confidence: c.Confidence},
		Entities:     entities,
		Message:      u.Text,
		Sentiment:    u.Sentiment,
		Now:          d.e.Now(),
		BusinessOpen: d.e.Bot().Open(d.e.Now()),
		Conversation: policies.ConversationInfo{Language: c.Language},
	})
	return ok
}
