package policies

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A call whose input reads a slot through a local waits for that slot: its
// Reads name the slot, as if the input read it directly. An optional slot
// read through a local does not hold the call back: the customer may never
// give it.
func TestCallReadsSlotsThroughLocals(t *testing.T) {
	src := []byte(`
bot "b" {
  languages = ["en"]
}

intent "report" {
  examples = ["report a charger", "the charger is broken", "charger at ST-4821 is broken", "broken charger", "report a fault"]
}

entity "station_id" {
  pattern = "ST-?[0-9]{4}"
}

locals {
  station_id = regex_replace(slot.station_id, "^ST-?", "ST-")
  station    = local.station_id
  detail     = coalesce(slot.detail, "none")
}

connector "stations" {
  type = "fixture"
  data = {}
  operation "get_station" {
    input  = { station_id = string, note = optional(string), detail = optional(string) }
    lookup = "stations"
  }
}

dialog "report" {
  trigger = [intent.report]

  slot "note" {
    type     = text
    optional = true
  }

  slot "detail" {
    type     = text
    optional = true
  }

  slot "station_id" {
    type   = station_id
    prompt = "Which station?"
  }

  call "station" {
    operation = connector.stations.get_station
    input     = { station_id = local.station, note = slot.note, detail = local.detail }
  }

  outcome "done" {
    reply = "Reported."
  }
}
`)
	bot, diags := LoadFiles(map[string][]byte{"bot.hcl": src}, testOptions)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if diff := cmp.Diff([]string{"note", "station_id"}, bot.Dialogs[0].Calls[0].Reads); diff != "" {
		t.Errorf("call reads (-want +got):\n%s", diff)
	}
}
