package engine

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// slots, on the turn a dialog ends, checks every slot the dialog had, not
// only those that turn filled: "The slots are those of the active dialog, or
// of the dialog that ended in the turn".
func TestRunTestsSlotsOfTheDialogThatEnded(t *testing.T) {
	src := `
bot "b" {
  languages = ["en"]
}

intent "lost_bag" {
  examples = ["my bag is lost", "lost luggage", "my suitcase did not arrive", "report a missing bag", "where is my bag"]
}

dialog "lost_bag" {
  trigger = [intent.lost_bag]

  slot "bags" {
    type   = number
    prompt = "How many bags?"
  }

  slot "description" {
    type   = text
    prompt = "Describe it."
  }

  outcome "noted" {
    reply = "Noted: ${slot.bags}, ${slot.description}."
  }
}

test "the last turn sees every slot" {
  turn {
    user = "my bag is lost"
  }

  turn {
    user = "2"
  }

  turn {
    user   = "a red suitcase"
    dialog = "none"
    slots  = { bags = 2, description = "a red suitcase" }
  }
}

test "a slot filled before is not empty" {
  turn {
    user = "my bag is lost"
  }

  turn {
    user = "2"
  }

  turn {
    user  = "a red suitcase"
    slots = { bags = null }
  }
}
`
	sum, failures, _ := runBotTests(t, src)
	if sum.Passed != 1 {
		t.Errorf("passed %d, want 1", sum.Passed)
	}
	want := []string{`a slot filled before is not empty: turn 3: slot bags: want it empty, got "2"`}
	if diff := cmp.Diff(want, failures); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
}
