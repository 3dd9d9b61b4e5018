package dialog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/parleyhq/parley/policies"
)

// These tests build the bot model by hand, so they pin the dialog's reading of
// policies.Bot independently of the loader.

func tmpl(t testing.TB, src string) hcl.Expression {
	t.Helper()
	e, diags := hclsyntax.ParseTemplate([]byte(src), "test.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("template %q: %s", src, diags.Error())
	}
	return e
}

func expr(t testing.TB, src string) hcl.Expression {
	t.Helper()
	e, diags := hclsyntax.ParseExpression([]byte(src), "test.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("expression %q: %s", src, diags.Error())
	}
	return e
}

// text is an inline message; variants maps a language ("" for all) to its templates.
func text(t testing.TB, variants map[string][]string) *policies.Message {
	m := &policies.Message{Variants: map[string][]hcl.Expression{}}
	for lang, vs := range variants {
		for _, v := range vs {
			m.Variants[lang] = append(m.Variants[lang], tmpl(t, v))
		}
	}
	return m
}

func handBuiltBot(t testing.TB) *policies.Bot {
	errorReply := text(t, map[string][]string{"en": {"Oops."}})
	errorReply.Name = "error"
	return &policies.Bot{
		Name:                "hand",
		Languages:           []string{"en", "zh"},
		ConfidenceThreshold: 0.5,
		Functions:           policies.Functions(),
		Replies: policies.DefaultReplies{
			NotUnderstood: text(t, map[string][]string{"en": {"Eh?"}}),
			Error:         errorReply,
		},
		Queues: map[string]*policies.Queue{"legal": {Name: "legal", Skill: "law", Priority: "urgent"}},
		Answers: []*policies.Answer{
			{Name: "greet", Intent: "greet", Reply: []*policies.Message{text(t, map[string][]string{
				"en": {"Hi${customer.name != \"\" ? \" ${customer.name}\" : \"\"}!"},
				"":   {"Hello / 你好"},
			})}},
			{Name: "only_en", Intent: "only_en", Reply: []*policies.Message{text(t, map[string][]string{"en": {"English only."}})}},
			{Name: "broken", Intent: "broken", Reply: []*policies.Message{text(t, map[string][]string{"": {"Status: ${call.nothing.status}"}})}},
			{Name: "blank", Intent: "blank", Reply: []*policies.Message{text(t, map[string][]string{"": {"${customer.name}"}})}},
		},
		Rules: []*policies.Rule{{
			Name: "legal",
			On:   policies.RuleEvent{Kind: "message"},
			When: expr(t, `matches(lower(message), "lawyer|court")`),
			Actions: policies.Actions{
				Reply:   []*policies.Message{text(t, map[string][]string{"": {"I'll pass this to our legal team."}})},
				Handoff: &policies.HandoffSpec{Queue: "legal", Reason: "legal", Share: []string{"transcript"}},
			},
		}},
		Dialogs: []*policies.Dialog{{
			Name:     "book",
			Triggers: []string{"book"},
			Slots: []*policies.Slot{
				{Name: "size", Type: "number", Validate: expr(t, `slot.size > 0 && slot.size <= 10`), Retries: 2},
				{Name: "note", Type: "text", RequiredWhen: expr(t, `slot.size > 5`), Retries: 2},
			},
			Outcomes: []*policies.Outcome{{Name: "ok", Actions: policies.Actions{
				Reply: []*policies.Message{text(t, map[string][]string{"": {`Booked ${slot.size}${slot.note != null ? " (${slot.note})" : ""}.`}})},
			}}},
		}},
	}
}

func TestHandBuiltBot(t *testing.T) {
	bot := handBuiltBot(t)
	runConversations(t, []conversation{
		{
			name: "language fallback: the language's variants, else the shared ones, else the default language's",
			bot:  bot,
			turns: []exchange{
				{in: say("hi", intent("greet", 0.9)), replies: []string{"Hi!"}},
				{in: say("你好", intent("greet", 0.9), lang("zh")), replies: []string{"Hello / 你好"}},
				{in: say("英文", intent("only_en", 0.9), lang("zh")), replies: []string{"English only."}},
			},
		},
		{
			name: "a reply that can't be rendered becomes the error reply",
			bot:  bot,
			turns: []exchange{
				{in: say("status", intent("broken", 0.9)), replies: []string{"Oops."}, check: func(t *testing.T, tn turn, c *convo) {
					if len(tn.errors()) != 1 {
						t.Errorf("errors = %q, want one", tn.errors())
					}
				}},
				{in: say("blank", intent("blank", 0.9)), replies: []string{"Oops."}},
			},
		},
		{
			name: "a message rule applies its actions; its handoff shares only what it says",
			bot:  bot,
			turns: []exchange{
				{in: say("I'll see you in court"), replies: []string{"I'll pass this to our legal team."}, handoff: "legal", check: func(t *testing.T, tn turn, c *convo) {
					want := &HandoffRequest{Queue: "legal", Skill: "law", Priority: "urgent", Reason: "legal", Share: []string{"transcript"}}
					if diff := cmp.Diff(want, tn.Handoff); diff != "" {
						t.Errorf("handoff (-want +got):\n%s", diff)
					}
				}},
			},
		},
		{
			name: "built-in prompt and invalid text, validate, required_when",
			bot:  bot,
			turns: []exchange{
				{in: say("book", intent("book", 0.9)), replies: []string{"Could you tell me the size?"}},
				{in: say("0"), replies: []string{"Sorry, that doesn't look right. Could you try again?"}},
				{in: say("7 please", entText("number", "7", "7")), replies: []string{"Could you tell me the note?"}, slots: map[string]string{"size": "7"}},
				{in: say("window seat"), replies: []string{"Booked 7 (window seat)."}, stack: none()},
				{in: say("book 3", intent("book", 0.9), entText("number", "3", "3")), replies: []string{"Booked 3."}},
			},
		},
	})
}

func TestVariantChoiceIsDeterministic(t *testing.T) {
	seen := map[int]bool{}
	for i := range 50 {
		n := pick("conv", int64(i), 3)
		if n != pick("conv", int64(i), 3) {
			t.Fatal("pick is not deterministic")
		}
		seen[n] = true
	}
	if len(seen) != 3 {
		t.Errorf("over 50 turns only variants %v were chosen", seen)
	}
}
