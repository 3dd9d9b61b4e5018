package report

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/policies"
)

// An audit entry's detail is masked again when read (the API, parley export
// audit), except the policy versions a rollout entry names.
func TestMaskAuditDetail(t *testing.T) {
	detail := json.RawMessage(`{"current":"cb8084582662fa11","candidate":"13812345678"}`)
	for action, want := range map[string]map[string]any{
		"rollout.promote": {"current": "cb8084582662fa11", "candidate": "138****5678"},
		"ticket.update":   {"current": "cb808***2662fa11", "candidate": "138****5678"},
	} {
		var got map[string]any
		if err := json.Unmarshal(MaskAuditDetail(policies.DefaultMasker, action, detail), &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", action, diff)
		}
	}
}
