package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/knowledge"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/policies"
)

// What the console offers beside the reply box: answers from the knowledge
// base for what the customer just asked, and the bot's quick replies filled
// in for this conversation. The agent inserts one, edits it, and sends it.

const (
	// suggestMessages is how many of the customer's latest messages make the
	// question: the last one is often "and for delivery?".
	suggestMessages = 3
	suggestLimit    = 5
)

// Suggestion is a knowledge-base passage that may answer the customer.
type Suggestion struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Source string  `json:"source"`
	Text   string  `json:"text"` // what to insert in the reply box
	Score  float64 `json:"score"`
	// Confident: at or above the knowledge block's threshold, where the bot
	// itself would have answered with it.
	Confident bool `json:"confident"`
}

// Suggestions searches the knowledge base with the customer's latest messages
// in the conversation of handoff id, leaving out those that ask no question
// (asksNothing) unless nothing else is there. query is what was searched ("" when the
// customer has said nothing yet, or the bot has no knowledge).
func (d *Desk) Suggestions(ctx context.Context, id string) (query string, out []Suggestion, err error) {
	out = []Suggestion{}
	kb := d.e.Knowledge()
	if kb == nil {
		return "", out, nil
	}
	h, err := d.Handoff(ctx, id)
	if err != nil {
		return "", out, err
	}
	evs, err := d.e.Store().Events(ctx, h.ConversationID, 0, 0)
	if err != nil {
		return "", out, fmt.Errorf("conversation %q: %w", h.ConversationID, err)
	}
	items, err := engine.Transcript(evs, true)
	if err != nil {
		return "", out, err
	}
	query = latestCustomerText(items, suggestMessages, asksNothing(d.e.Bot(), evs))
	if query == "" {
		// Only such messages: they are still all there is to go on.
		query = latestCustomerText(items, suggestMessages, nil)
	}
	if query == "" {
		return "", out, nil
	}
	hits, err := kb.Search(ctx, query, suggestLimit*2)
	if err != nil {
		return query, out, fmt.Errorf("search knowledge: %w", err)
	}
	// Answers in the customer's script first: a Chinese passage is no answer
	// to put in front of an English-speaking customer, but may still be the
	// only one there is.
	lang := knowledge.DetectLang(query)
	slices.SortStableFunc(hits, func(a, b engine.Hit) int {
		am, bm := a.Chunk.Lang == lang, b.Chunk.Lang == lang
		switch {
		case am && !bm:
			return -1
		case bm && !am:
			return 1
		}
		return 0
	})
	for _, hit := range hits {
		if len(out) == suggestLimit {
			break
		}
		out = append(out, Suggestion{ID: hit.Chunk.ID, Title: hit.Chunk.Title, Source: hit.Chunk.Source, Text: hit.Chunk.Reply(),
			Score: hit.Score, Confident: hit.Score >= kb.Threshold()})
	}
	return query, out, nil
}

// asksNothing finds the customer's messages (by seq) that hold no question
// for the knowledge base: those the bot understood as an intent it neither
// runs a dialog for nor answers as a request (a greeting), such as "I want a
// person". Searched, "人工客服" brings up the support hours and the hotline
// above what the customer asked before it.
func asksNothing(bot *policies.Bot, evs []store.Event) map[int64]bool {
	asks := map[string]bool{}
	for _, dl := range bot.Dialogs {
		for _, t := range dl.Triggers {
			asks[t] = true
		}
	}
	for _, a := range bot.Answers {
		if a.Resolves == nil || *a.Resolves {
			asks[a.Intent] = true
		}
	}
	skip := map[int64]bool{}
	for _, se := range evs {
		var ev dialog.Event
		if json.Unmarshal(se.Data, &ev) != nil || ev.Type != dialog.EventMessageReceived || ev.Message == nil {
			continue
		}
		if m := ev.Message; m.Intent != "" && m.Confidence >= bot.ConfidenceThreshold && !asks[m.Intent] {
			skip[se.Seq] = true
		}
	}
	return skip
}

// latestCustomerText joins the customer's last n messages since an agent last
// wrote to them, oldest first, leaving out those in skip.
func latestCustomerText(items []engine.Item, n int, skip map[int64]bool) string {
	var texts []string
	for i := len(items) - 1; i >= 0 && len(texts) < n; i-- {
		it := items[i]
		if it.Kind != engine.KindMessage {
			continue
		}
		if it.From == "agent" && len(texts) > 0 {
			break
		}
		if it.From == "customer" && !skip[it.Seq] && strings.TrimSpace(it.Text) != "" {
			texts = append(texts, strings.TrimSpace(it.Text))
		}
	}
	slices.Reverse(texts)
	return strings.Join(texts, "\n")
}

// QuickReply is one of the bot's quick replies filled in for a conversation.
type QuickReply struct {
	Name     string   `json:"name"`
	Title    string   `json:"title"`
	Text     string   `json:"text"`
	Language string   `json:"language"`
	Missing  []string `json:"missing"` // shown as [slot.order_id] in Text for the agent to fill in
}

// QuickReplies fills the bot's quick replies in for the conversation of
// handoff id, as agent would send them (slots: the handoff's, then the open
// dialogs', then those the customer gave earlier in the session), keeping
// those whose name, title or text contains every word of query
// (case-insensitive; "" keeps all).
func (d *Desk) QuickReplies(ctx context.Context, id string, agent store.Agent, query string) ([]QuickReply, error) {
	bot := d.e.Bot()
	out := []QuickReply{}
	if len(bot.QuickReplies) == 0 {
		return out, nil
	}
	h, err := d.Handoff(ctx, id)
	if err != nil {
		return nil, err
	}
	scope := policies.Scope{Slots: map[string]cty.Value{}, Conversation: policies.ConversationInfo{ID: h.ConversationID}}
	for k, v := range h.Slots {
		scope.Slots[k] = cty.StringVal(v)
	}
	lang := ""
	if conv, err := d.e.Store().Conversation(ctx, h.ConversationID); err == nil {
		if st, err := d.e.Restore(conv); err == nil {
			lang = st.Language
			scope.Conversation.Language = st.Language
			scope.Conversation.Turns, scope.Conversation.Failures = st.Turns, st.Failures
			scope.Slots = mergeSlots(scope.Slots, st)
		}
	}
	if evs, err := d.e.Store().Events(ctx, h.ConversationID, 0, 0); err == nil {
		for k, v := range sessionSlots(evs) {
			if _, ok := scope.Slots[k]; !ok {
				scope.Slots[k] = cty.StringVal(v)
			}
		}
	}
	if h.CustomerID != "" {
		if cust, err := d.e.Store().Customer(ctx, h.CustomerID); err == nil {
			scope.Customer = engine.CustomerValue(engine.CustomerFacts(cust))
			if lang == "" {
				lang = cust.Profile.Language
			}
		}
	}
	words := strings.Fields(strings.ToLower(query))
	for _, q := range bot.QuickReplies {
		filled := bot.FillQuickReply(q, lang, scope, agent.ID, agent.Name)
		haystack := strings.ToLower(q.Name + " " + q.Title + " " + filled.Text)
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(haystack, w) }) {
			missing := filled.Missing
			if missing == nil {
				missing = []string{}
			}
			out = append(out, QuickReply{Name: q.Name, Title: q.Title, Text: filled.Text, Language: filled.Language, Missing: missing})
		}
	}
	return out, nil
}

// mergeSlots adds the slots of the dialog still open in the conversation
// (the handoff's copy may predate them) without replacing the handoff's.
func mergeSlots(slots map[string]cty.Value, st dialog.State) map[string]cty.Value {
	for _, f := range st.Stack {
		for k, v := range f.Slots {
			if _, ok := slots[k]; !ok {
				slots[k] = cty.StringVal(v.Value)
			}
		}
	}
	return slots
}

// sessionSlots is the latest value of each slot the customer gave in the
// conversation's current session, whichever dialog asked: a customer who had
// the bot track order AB123456 and then asked for a person is still talking
// about AB123456, though that dialog ended and the handoff carries no slots.
func sessionSlots(evs []store.Event) map[string]string {
	slots := map[string]string{}
	for _, se := range evs {
		var ev dialog.Event
		if json.Unmarshal(se.Data, &ev) != nil {
			continue
		}
		switch ev.Type {
		case dialog.EventSessionExpired:
			clear(slots)
		case dialog.EventSlotFilled, dialog.EventSlotCorrected:
			if ev.Slot != "" && ev.Value != nil && ev.Value.Value != "" {
				slots[ev.Slot] = ev.Value.Value
			}
		}
	}
	return slots
}
