package parleycmd

import (
	"bytes"
	"strings"
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// -debug never rounds a confidence up to the threshold it missed, and says
// when the top intent was below it, or why else the turn has no intent.
func TestChatDebugConfidenceBelowThreshold(t *testing.T) {
	tests := []struct {
		name string
		res  *engine.TurnResult
		want string
	}{
		{"below", &engine.TurnResult{NLU: &nlu.Result{Intents: []nlu.IntentScore{{Name: "accessibility", Confidence: 0.4497}, {Name: "greet", Confidence: 0.07}}}},
			"  · intents: accessibility 0.44 | greet 0.07 (below confidence_threshold)\n"},
		{"a bare no the intent's examples do not hold", &engine.TurnResult{NLU: &nlu.Result{Text: "no", Intents: []nlu.IntentScore{{Name: "network_problem", Confidence: 0.59}}}},
			"  · intents: network_problem 0.59 (a bare yes or no: none of the intent's examples is one)\n"},
		{"answered by the knowledge base", &engine.TurnResult{Knowledge: "knowledge/faq.hcl#hours_zh", NLU: &nlu.Result{Intents: []nlu.IntentScore{{Name: "track_order", Confidence: 0.62}}}},
			"  · intents: track_order 0.62 (the knowledge base answered)\n"},
		{"understood", &engine.TurnResult{Intent: "refund", NLU: &nlu.Result{Intents: []nlu.IntentScore{{Name: "refund", Confidence: 0.956}}}},
			"  · intents: refund 0.95\n"},
	}
	bareNo, diags := policies.LoadDir("../../../dialog/testdata/bare_no", policies.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			(&chatSession{out: &out, bot: bareNo}).showDebug(tt.res)
			if first, _, _ := strings.Cut(out.String(), "  · language"); first != tt.want {
				t.Errorf("debug output starts %q, want %q", first, tt.want)
			}
		})
	}
}
