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

// A call that reads only another call's error runs after it, failed or not;
// one that reads its result (directly or through a local) does not run when
// it failed: ReadsResultOf names those.
func TestCallReadsResultOf(t *testing.T) {
	src := []byte(`
bot "b" {
  languages = ["en"]
}

intent "find" {
  examples = ["find me", "look me up", "find my account", "who am I", "my account"]
}

locals {
  why  = call.customer.error
  who  = call.customer.id
}

connector "crm" {
  type = "fixture"
  data = {}
  operation "find" {
    input  = { email = string }
    output = { id = string }
    lookup = "customers"
  }
  operation "log" {
    input  = { a = optional(string), b = optional(string) }
    respond = {}
  }
}

dialog "find" {
  trigger = [intent.find]

  slot "email" {
    type   = email
    prompt = "Your email?"
  }

  call "customer" {
    operation = connector.crm.find
    input     = { email = slot.email }
  }

  call "error_only" {
    operation = connector.crm.log
    input     = { a = call.customer.error, b = local.why }
  }

  call "indexed_error" {
    operation = connector.crm.log
    input     = { a = call.customer["error"] }
  }

  call "result" {
    operation = connector.crm.log
    input     = { a = call.customer.error, b = call.customer.id }
  }

  call "result_through_local" {
    operation = connector.crm.log
    input     = { a = local.who }
  }

  outcome "done" {
    reply = "Done."
  }
}
`)
	bot, diags := LoadFiles(map[string][]byte{"bot.hcl": src}, testOptions)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	got := map[string][]string{}
	for _, c := range bot.Dialogs[0].Calls[1:] {
		got[c.Name] = append([]string{}, c.ReadsResultOf...)
		if diff := cmp.Diff([]string{"customer"}, c.ReadsCalls); diff != "" {
			t.Errorf("%s waits for (-want +got):\n%s", c.Name, diff)
		}
	}
	want := map[string][]string{"error_only": {}, "indexed_error": {}, "result": {"customer"}, "result_through_local": {"customer"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadsResultOf (-want +got):\n%s", diff)
	}
}
