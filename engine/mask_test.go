package engine

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/policies"
)

// An identity check's answers go to a connector as arguments; the audit trail
// records them masked, since a date of birth has no pattern to find.
func TestAuditMasksIdentityAnswers(t *testing.T) {
	got := MaskValue(policies.DefaultMasker, map[string]any{
		"customer_id":     "C1001",
		"birth_date":      "1980-03-15",
		"date_of_birth":   "1980-03-15",
		"passcode":        "739201",
		"security_answer": "Smith",
		"expected":        "2026-11-24",
	})
	want := map[string]any{
		"customer_id":     "C1001",
		"birth_date":      "****",
		"date_of_birth":   "****",
		"passcode":        "****",
		"security_answer": "****",
		"expected":        "2026-11-24",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("masked detail (-want +got):\n%s", diff)
	}
}
