package policies

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// An overlap only hides part of the lower block's range: the warning must not
// read as if that block never applied (that is the "Never applies" warning).
func TestOverlapSaysWhereTheLowerBlockStillApplies(t *testing.T) {
	const src = `
bot "b" {
  languages = ["en"]
}

intent "fee" {
  examples = ["fee", "cancel fee", "waive the fee", "cancellation fee", "remove the fee"]
}

connector "trips" {
  type = "fixture"
  data = {}

  operation "get_trip" {
    input  = { trip_id = string }
    output = { cancel_fee = number }
    lookup = "trips"
  }
}

dialog "fee" {
  trigger = [intent.fee]

  slot "trip_id" {
    type   = text
    prompt = "Which trip?"
  }

  call "trip" {
    operation = connector.trips.get_trip
    input     = { trip_id = slot.trip_id }
  }

  outcome "no_fee" {
    when  = call.trip.cancel_fee == 0
    reply = "No fee."
  }

  outcome "waived" {
    when  = call.trip.cancel_fee <= 15
    reply = "Waived."
  }

  outcome "review" {
    reply = "Reviewed."
  }
}
`
	_, diags := LoadFiles(map[string][]byte{"main.hcl": []byte(src)}, testOptions)
	var got []string
	for _, d := range diags {
		if d.Severity == hcl.DiagWarning && d.Summary == "Overlapping ranges" {
			got = append(got, d.Detail)
		}
	}
	want := `Outcome "waived" and outcome "no_fee" above it both cover call.trip.cancel_fee = 0. There the first applies, and outcome "waived" applies only where outcome "no_fee" does not.`
	if len(got) != 1 || !strings.Contains(got[0], want) {
		t.Errorf("want one overlap warning saying %q, got %q (all: %v)", want, got, diags)
	}
	if strings.Contains(strings.Join(got, ""), "never") {
		t.Errorf("an overlap warning says the block never applies: %q", got)
	}
}
