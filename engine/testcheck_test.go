package engine

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// A date_range slot is written in an expectation as the object expressions
// read, { start, end }, and compared with the "START/END" the slot holds.
func TestCheckSlotsDateRange(t *testing.T) {
	got := map[string]string{"stay": "2026-12-03/2026-12-05"}
	obj := func(start, end string) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{"start": cty.StringVal(start), "end": cty.StringVal(end)})
	}
	tests := []struct {
		name string
		want cty.Value
		msgs []string
	}{
		{"object", obj("2026-12-03", "2026-12-05"), nil},
		{"text", cty.StringVal("2026-12-03/2026-12-05"), nil},
		{"other object", obj("2026-12-03", "2026-12-06"), []string{`slot stay: want "2026-12-03/2026-12-06", got "2026-12-03/2026-12-05"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := checkSlots("slot", map[string]cty.Value{"stay": tt.want}, got, nil)
			if diff := cmp.Diff(tt.msgs, msgs); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckEntitiesDateRange(t *testing.T) {
	found := []nlu.Entity{{Type: "date_range", Value: "2026-12-03/2026-12-05"}}
	want := cty.ObjectVal(map[string]cty.Value{"start": cty.StringVal("2026-12-03"), "end": cty.StringVal("2026-12-05")})
	if msgs := checkEntities(map[string]cty.Value{"date_range": want}, found); len(msgs) != 0 {
		t.Errorf("checkEntities = %q, want no failure", msgs)
	}
}

// A table's key is text: "499" does not match a money slot's 499.00, and the
// failure says why and what to write.
func TestQuotedAmountSaysWhatToWrite(t *testing.T) {
	const hint = `: the expectation is text, and only a number compares as an amount; write 499 without quotes, or tonumber(each.key) in a table`
	got := map[string]string{"value": "499.00"}
	tests := []struct {
		name string
		want cty.Value
		msgs []string
	}{
		{"number", cty.NumberIntVal(499), nil},
		{"same text", cty.StringVal("499.00"), nil},
		{"quoted amount", cty.StringVal("499"), []string{`slot value: want "499", got "499.00"` + hint}},
		{"other amount", cty.StringVal("500"), []string{`slot value: want "500", got "499.00"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := checkSlots("slot", map[string]cty.Value{"value": tt.want}, got, nil)
			if diff := cmp.Diff(tt.msgs, msgs); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
		})
	}
	found := []nlu.Entity{{Type: "money", Value: "499.00", Number: 499}}
	want := []string{`entities: want money "499", got [money="499.00"]` + hint}
	if diff := cmp.Diff(want, checkEntities(map[string]cty.Value{"money": cty.StringVal("499")}, found)); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
}

// A confidence just under the threshold must not read as the threshold itself.
func TestIntentFailureNeverRoundsUpToTheThreshold(t *testing.T) {
	want := &policies.TestTurn{Intent: "accessibility"}
	tests := []struct {
		name string
		got  *TurnResult
		msg  string
	}{
		{"below the threshold", &TurnResult{Confidence: 0.4497, NLU: &nlu.Result{Intents: []nlu.IntentScore{{Name: "accessibility", Confidence: 0.4497}}}},
			`intent: want "accessibility", got "none" (top confidence 0.44, below confidence_threshold; the best guess was "accessibility")`},
		{"a bare no the intent's examples do not hold", &TurnResult{Confidence: 0.59, NLU: &nlu.Result{Text: "no", Intents: []nlu.IntentScore{{Name: "accessibility", Confidence: 0.59}}}},
			`intent: want "accessibility", got "none" (top confidence 0.59; the best guess was "accessibility", but the message is a bare yes or no, which goes to an intent only when one of its examples is a bare yes or no too)`},
		{"an intent the knowledge base answered instead", &TurnResult{Confidence: 0.62, Knowledge: "knowledge/faq.hcl#hours", NLU: &nlu.Result{Intents: []nlu.IntentScore{{Name: "accessibility", Confidence: 0.62}}}},
			`intent: want "accessibility", got "none" (top confidence 0.62; the best guess was "accessibility", but the knowledge base answered (knowledge/faq.hcl#hours), and a turn it answers reports no intent)`},
		{"another intent", &TurnResult{Intent: "greet", Confidence: 0.876},
			`intent: want "accessibility", got "greet" (top confidence 0.88)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff([]string{tt.msg}, CheckTurn(want, tt.got)); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
		})
	}
}

// A confidence is cut to two decimals, and one that is a whole hundredth
// (0.58, stored as 0.57999...) keeps it.
func TestCutConfidence(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{{0.4497, "0.44"}, {0.29, "0.29"}, {0.58, "0.58"}, {0.57, "0.57"}, {0.999, "0.99"}, {1, "1.00"}, {0, "0.00"}}
	for _, tt := range tests {
		if got := CutConfidence(tt.in); got != tt.want {
			t.Errorf("CutConfidence(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A reply that differs is shown whole, Chinese characters included.
func TestRepliesDifferShowsWholeTexts(t *testing.T) {
	want := &policies.TestTurn{Reply: []string{"工单号 ${ticket.id}。"}}
	got := &TurnResult{Replies: []Reply{{Text: "工单号 T-1。"}, {Text: "还有吗？"}}}
	wantMsg := "replies differ:\n" +
		"  reply 1: want \"工单号 ${ticket.id}。\" <-\n" +
		"           got  \"工单号 T-1。\"\n" +
		"  reply 2: want (none) <-\n" +
		"           got  \"还有吗？\""
	if diff := cmp.Diff([]string{wantMsg}, CheckTurn(want, got)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

// A value waiting for the call that checks it is not in its slot yet: the
// failure says so, rather than that nothing was understood, and lists the
// slots as a test writes them.
func TestCheckSlotsSaysAValueIsHeld(t *testing.T) {
	want := map[string]cty.Value{"new_plan": cty.StringVal("premium")}
	tests := []struct {
		name string
		got  map[string]string
		held map[string]string
		msgs []string
	}{
		{"held", nil, map[string]string{"new_plan": "premium"}, []string{
			`slot new_plan: want "premium", but it is not filled yet: "premium" was given and waits for the calls its validate reads, which need slots still to be asked (no slot is filled)`,
		}},
		{"not given", map[string]string{"email": "ann@example.com", "code": "123456"}, nil, []string{
			`slot new_plan: want "premium", but it is not filled (slots: code = "123456", email = "ann@example.com")`,
		}},
		{"filled", map[string]string{"new_plan": "premium"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.msgs, checkSlots("slot", want, tt.got, tt.held)); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
		})
	}
}

// A knowledge answer that an intent took instead says so: the replies alone
// (the intent's dialog asking its first question) don't tell why.
func TestKnowledgeFailureNamesTheIntent(t *testing.T) {
	want := &policies.TestTurn{Knowledge: "faq.hcl#pay_en"}
	const base = `knowledge: want an answer from chunk "faq.hcl#pay_en", got "none"; the bot said ["Account number?"]`
	tests := []struct {
		name string
		got  TurnResult
		msgs []string
	}{
		{"an intent took it", TurnResult{Intent: "payment_plan", Confidence: 0.51, Replies: []Reply{{Text: "Account number?"}}},
			[]string{base + `. The bot acted on intent "payment_plan" (0.51) instead: a question worded like an intent's examples goes to that intent, so give it an intent of its own with an answer (parley validate -nlu lists the FAQ questions intents take)`}},
		{"nothing took it", TurnResult{Replies: []Reply{{Text: "Account number?"}}}, []string{base}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.msgs, CheckTurn(want, &tt.got)); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
		})
	}
}
