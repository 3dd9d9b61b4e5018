package engine

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// IncomingTicket is a ticket that comes without a chat, as triage reads it.
type IncomingTicket struct {
	Subject string
	Text    string // the description: the email's body, the form's message
	Channel string // email, form, api...: conversation.channel in a triage condition
}

// TicketClassification is where a ticket without a chat goes, and why.
type TicketClassification struct {
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

// ClassifyTicket runs the bot's NLU on a ticket's subject and text and picks
// its queue and priority with the bot's triage blocks, in order; the intake
// queue takes what none matches. The desk files tickets with it and `parley
// test` checks ticket tests with it, so the two cannot drift.
func (e *Engine) ClassifyTicket(t IncomingTicket) TicketClassification {
	c, _ := e.classifyTicket(t)
	return c
}

// classifyTicket is ClassifyTicket with the NLU's result, which a test
// checks entities and confidence against.
func (e *Engine) classifyTicket(t IncomingTicket) (TicketClassification, nlu.Result) {
	return triageTicket(e.bot, e.nlu, t, e.clock())
}

// triageTicket classifies t with the bot's NLU model at now.
func triageTicket(bot *policies.Bot, model *nlu.Model, t IncomingTicket, now time.Time) (TicketClassification, nlu.Result) {
	text := TicketText(t.Subject, t.Text)
	u := model.Parse(text, ParseOptions(bot, now))
	return classifyTicket(bot, u, text, t.Channel, now), u
}

// TicketText is what triage reads of a ticket: its subject, then its text.
// A subject that is the first line of the text, as the desk gives a ticket
// that came without one, is read once, so an order number in it is found
// once.
func TicketText(subject, text string) string {
	subject, text = strings.TrimSpace(subject), strings.TrimSpace(text)
	if subject == "" || subject == TicketSubject(text) {
		return text
	}
	return strings.TrimSpace(subject + "\n" + text)
}

// maxDefaultSubjectBytes bounds the subject taken from a ticket's text.
const maxDefaultSubjectBytes = 120

// TicketSubject is the subject of a ticket that was given none: the first
// line of its text, cut on a rune boundary.
func TicketSubject(text string) string {
	s, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	max := maxDefaultSubjectBytes
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max] + "…"
}

func classifyTicket(bot *policies.Bot, u nlu.Result, text, channel string, now time.Time) TicketClassification {
	c := TicketClassification{Language: u.Language, Confidence: u.Top().Confidence, Entities: map[string]string{}}
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
	for _, tr := range bot.Triage {
		if tr != nil && triageMiss(bot, tr, text, c, u, channel, now) == "" {
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

// triageMiss says which condition of tr does not hold for the text, the
// first in the order they are checked; "" when tr matches.
func triageMiss(bot *policies.Bot, tr *policies.Triage, text string, c TicketClassification, u nlu.Result, channel string, now time.Time) string {
	lower := strings.ToLower(text)
	if len(tr.Keywords) > 0 && !slices.ContainsFunc(tr.Keywords, func(k string) bool { return strings.Contains(lower, strings.ToLower(k)) }) {
		return fmt.Sprintf("none of its keywords %q is in the text", tr.Keywords)
	}
	if len(tr.Intents) > 0 && !slices.Contains(tr.Intents, c.Intent) {
		return fmt.Sprintf("the text's intent is %q (confidence %s), not one of %q", cmp.Or(c.Intent, "none"), CutConfidence(c.Confidence), tr.Intents)
	}
	for _, ent := range tr.Entities {
		if _, ok := c.Entities[ent]; !ok {
			return fmt.Sprintf("no %s entity is found in the text", ent)
		}
	}
	if tr.When == nil {
		return ""
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
	ok, diags := bot.Cond(tr.When, policies.Scope{
		Intent:       policies.IntentInfo{Name: c.Intent, Confidence: c.Confidence},
		Entities:     entities,
		Message:      u.Text,
		Sentiment:    u.Sentiment,
		Now:          now,
		BusinessOpen: bot.Open(now),
		Conversation: policies.ConversationInfo{Language: c.Language, Channel: channel},
	})
	switch {
	case diags.HasErrors():
		return "its when could not be evaluated: " + diags.Error()
	case !ok:
		return "its when is false"
	}
	return ""
}
