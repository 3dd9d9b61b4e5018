package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/dialog/outcome"
	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// What a turn decides without I/O, shared with `parley plan` (engine/plan),
// which replays recorded conversations in memory and must decide the same.

// MaxAwaitedEffects bounds the connector calls and tickets of one turn.
const MaxAwaitedEffects = maxAwaitedEffects

// AbortLoop is the input that ends a turn whose effects went past
// MaxAwaitedEffects: the dialogs are dropped and the customer hears the
// error reply.
func AbortLoop(in dialog.Input) dialog.Input {
	return dialog.Input{Now: in.Now, Customer: in.Customer, Channel: in.Channel, AgentsOnline: in.AgentsOnline,
		Abort: fmt.Sprintf("more than %d connector calls and tickets in one turn: do the bot's actions loop?", maxAwaitedEffects)}
}

// ParseOptions are the NLU's options for a message at now: relative dates
// ("tomorrow") are read in the bot's time zone.
func ParseOptions(bot *policies.Bot, now time.Time) nlu.ParseOptions {
	opts := nlu.ParseOptions{Now: now}
	if bot.BusinessHours != nil {
		opts.Location = bot.BusinessHours.Location
	}
	return opts
}

// NeedsKnowledge says whether a message is searched in the knowledge base
// (when the bot has one): only messages no intent understands, or whose
// intent is not settled (dialog.Settled) and may give way to a better
// passage, so a confident "track my order" costs no embedding.
func NeedsKnowledge(bot *policies.Bot, u nlu.Result) bool {
	text := strings.TrimSpace(u.Text)
	if text == "" || strings.HasPrefix(text, "/") {
		return false
	}
	if dialog.IsAcknowledgement(u.Text) {
		return false // "yes", "ok", "thanks" are never questions
	}
	return !dialog.Settled(bot, u.Top().Confidence, u.Language)
}

// SurveyAfterBot says whether a customer's turn ends with a satisfaction
// survey (the bot's survey block, after_bot): the turn resolved the request
// by the bot alone (before and after are the contact around it), nothing is
// open, and the contact is in the sample.
func SurveyAfterBot(bot *policies.Bot, st dialog.State, conversationID string, before, after *outcome.Contact) bool {
	return surveyDue(bot, st, before, after) && outcome.Sampled(conversationID, after.Seq, bot.Survey.AfterBot)
}

// surveyDue is SurveyAfterBot but for the draw: whether the customer would be
// asked if the contact is in the sample. An approval still to be decided is
// open too: a person has yet to say whether the refund goes ahead.
func surveyDue(bot *policies.Bot, st dialog.State, before, after *outcome.Contact) bool {
	sv := bot.Survey
	if sv == nil || sv.AfterBot <= 0 || st.Surveying || st.HandedOff || len(st.Stack) > 0 || len(st.Approvals) > 0 {
		return false
	}
	return outcome.BotJustResolved(before, after)
}
