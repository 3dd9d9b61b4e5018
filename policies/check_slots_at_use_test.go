package policies

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// TestResponseSlotsAtUse: a response said in a dialog that lacks a slot it
// reads is a warning, unless the response tests the slot for null itself.
func TestResponseSlotsAtUse(t *testing.T) {
	tests := []struct {
		name, text string
		warns      bool
	}{
		{"plain read", `Booked for ${slot.visit_date}.`, true},
		{"in a function", `Booked for ${format_date(slot.visit_date, "2 Jan")}.`, true},
		{"null test", `Thanks%{ if slot.visit_date != null } for ${slot.visit_date}%{ endif }.`, false},
		{"coalesce", `Thanks, ${coalesce(slot.visit_date, "soon")}.`, false},
		{"a slot it has", `Thanks about ${slot.details}.`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := `
bot "b" {
  languages = ["en"]
}

intent "noise" {
  examples = ["my neighbours are loud", "noise complaint", "loud music next door", "the dog barks all night", "too noisy"]
}

response "said" {
  en = "` + tt.text + `"
}

intent "repair" {
  examples = ["my tap is dripping", "report a repair", "the boiler is broken", "fix my sink", "repair please"]
}

dialog "repair" {
  trigger = [intent.repair]

  slot "visit_date" {
    type   = date
    prompt = "Which day suits you?"
  }

  outcome "booked" {
    reply = "Booked."
  }
}

dialog "noise" {
  trigger = [intent.noise]

  slot "details" {
    type   = text
    prompt = "What's the noise?"
  }

  outcome "logged" {
    reply = response.said
  }
}
`
			_, diags := LoadFiles(map[string][]byte{"bot.hcl": []byte(src)}, testOptions)
			warned := false
			for _, d := range diags {
				if d.Summary == "Response reads a slot that is not here" {
					warned = true
				} else if d.Severity == hcl.DiagError {
					t.Errorf("unexpected error: %s", d)
				}
			}
			if warned != tt.warns {
				t.Errorf("warned = %v, want %v; diagnostics: %v", warned, tt.warns, diags)
			}
		})
	}
}

// TestSlotOutsideDialogPointsAtMemory: a remembered slot read where there are
// no slots is pointed at memory.NAME; another slot is not.
func TestSlotOutsideDialogPointsAtMemory(t *testing.T) {
	src := `
bot "b" {
  languages = ["en"]
}

queue "general" {}

intent "rent" {
  examples = ["what do I owe", "rent balance", "how much rent", "check my rent", "is my rent paid"]
}

dialog "rent" {
  trigger = [intent.rent]

  slot "unit" {
    type     = text
    prompt   = "Which unit?"
    remember = true
  }

  slot "note" {
    type     = text
    prompt   = "Anything else?"
    optional = true
  }

  outcome "done" {
    reply = "Done."
  }
}

handoff "h" {
  when    = sentiment < -0.6
  queue   = queue.general
  summary = "Upset tenant in ${slot.unit}: ${slot.note}"
}
`
	_, diags := LoadFiles(map[string][]byte{"bot.hcl": []byte(src)}, testOptions)
	got := detailsOf(diags, "Slot outside a dialog")
	want := []string{
		`slot.unit is read outside any dialog, where there are no slots: slots exist inside a dialog and in rules with on = dialog.NAME. The slot "unit" of dialog "rent" is remembered: read it here as memory.unit (null until it is filled).`,
		`slot.note is read outside any dialog, where there are no slots: slots exist inside a dialog and in rules with on = dialog.NAME.`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
}
