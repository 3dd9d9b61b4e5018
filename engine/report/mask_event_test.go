package report

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/policies"
)

// An exported event is masked as the audit trail is (fields named like
// personal data whole, other text by pattern, a connector's input and result
// field by field), except that the bot's own names (a call named "update",
// the rule a run resumes) are kept.
func TestMaskEvent(t *testing.T) {
	pii := policies.MaskPII
	tests := []struct {
		name, in string
		want     any
	}{{
		name: "call",
		in: `{"effect":{"call":{"name":"update","connector":"crm","operation":"update",` +
			`"input":{"name":"Ann Lee","email":"ann@example.com","order_id":"AB123456"}}}}`,
		want: map[string]any{"effect": map[string]any{"call": map[string]any{
			"name": "update", "connector": "crm", "operation": "update",
			"input": map[string]any{"name": pii("Ann Lee"), "email": pii("ann@example.com"), "order_id": "AB123456"},
		}}},
	}, {
		name: "message and reply text",
		in:   `{"message":{"text":"I'm Ann Lee"},"effect":{"reply":{"text":"Thanks, Ann Lee"}}}`,
		want: map[string]any{
			"message": map[string]any{"text": pii("I'm Ann Lee")},
			"effect":  map[string]any{"reply": map[string]any{"text": pii("Thanks, Ann Lee")}},
		},
	}, {
		name: "handoff slots and memory",
		in:   `{"effect":{"handoff":{"queue":"billing","slots":{"name":"Ann Lee","home_address":"1 High St"}}},"memory":{"full_name":"Ann Lee"}}`,
		want: map[string]any{
			"effect": map[string]any{"handoff": map[string]any{"queue": "billing",
				"slots": map[string]any{"name": pii("Ann Lee"), "home_address": pii("1 High St")}}},
			"memory": map[string]any{"full_name": pii("Ann Lee")},
		},
	}, {
		name: "the rule a run resumes",
		in:   `{"resume":{"runs":[{"ref":{"kind":"rule","name":"refund"}}]},"slot":"email","value":{"value":"ann@example.com"}}`,
		want: map[string]any{
			"resume": map[string]any{"runs": []any{map[string]any{"ref": map[string]any{"kind": "rule", "name": "refund"}}}},
			"slot":   "email",
			"value":  map[string]any{"value": policies.DefaultMasker.Text("ann@example.com")},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got any
			if err := json.Unmarshal(maskEvent(policies.DefaultMasker, json.RawMessage(tt.in)), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("masked event (-want +got):\n%s", diff)
			}
		})
	}
}
