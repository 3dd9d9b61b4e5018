package outcome_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/dialog/outcome"
	"github.com/parleyhq/parley/policies"
)

// TestApplyOwned: folding with ApplyOwned whenever the contact is the caller's
// own gives, event by event, the contacts Apply gives.
func TestApplyOwned(t *testing.T) {
	bot, diags := policies.LoadFiles(map[string][]byte{"bot.hcl": []byte(src)}, policies.Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	sequences := [][]dialog.Event{
		{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventIntentRecognized, 0, intent("refund")), ev(dialog.EventDialogStarted, 0, inDialog("refund")),
			ev(dialog.EventRuleApplied, 1, inDialog("refund"), outcomeOf("done")), ev(dialog.EventDialogCompleted, 1, inDialog("refund")),
			ev(dialog.EventMessageReceived, 2), ev(dialog.EventNotUnderstood, 2),
		},
		{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventIntentRecognized, 0, intent("hours")),
			ev(dialog.EventSessionExpired, 60), ev(dialog.EventMessageReceived, 60), ev(dialog.EventNotUnderstood, 60),
		},
		{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventHandoffRequested, 0, handoffTo("general")),
			ev(dialog.EventAgentJoined, 2), ev(dialog.EventHandoffClosed, 5), ev(dialog.EventSurveyRequested, 5),
			ev(dialog.EventMessageReceived, 6), ev(dialog.EventSatisfactionRecorded, 6, score(4)), ev(dialog.EventMessageReceived, 7),
		},
		{
			ev(dialog.EventMessageReceived, 0), ev(dialog.EventHandoffRequested, 0, handoffTo("general")),
			ev(dialog.EventAgentJoined, 2), ev(dialog.EventHandoffClosed, 5), ev(dialog.EventSurveyRequested, 5),
			ev(dialog.EventMessageReceived, 6), ev(dialog.EventSurveySkipped, 6), ev(dialog.EventIntentRecognized, 6, intent("hours")),
			ev(dialog.EventConversationEnded, 7), ev(dialog.EventMessageReceived, 8),
		},
	}
	snapshot := func(cur, prev *outcome.Contact) string {
		raw, err := json.Marshal([]*outcome.Contact{cur, prev})
		if err != nil {
			t.Fatal(err)
		}
		return string(raw)
	}
	for i, events := range sequences {
		var want, got []string
		var c, o *outcome.Contact
		owned := false
		for j, e := range events {
			seq := int64(j + 1)
			cur, prev := outcome.Apply(bot, c, e, seq)
			want = append(want, snapshot(cur, prev))
			c = cur
			apply := outcome.Apply
			if owned {
				apply = outcome.ApplyOwned
			}
			cur, prev = apply(bot, o, e, seq)
			got = append(got, snapshot(cur, prev))
			o, owned = cur, cur != nil && cur != prev
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("sequence %d (-Apply +ApplyOwned):\n%s", i, diff)
		}
	}
}
