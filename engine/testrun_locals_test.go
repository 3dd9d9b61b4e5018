package engine

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A slot's validate that reads a call through a local runs the call with the
// value first, as one that reads the call directly does; a call input that
// reads another dialog's slot through a local does not wait for that slot.
func TestRunTestsLocalsReadCallsAndSlots(t *testing.T) {
	src := `
bot "b" {
  languages = ["en"]
}

intent "sign_in" {
  examples = ["sign me in", "I want to sign in", "log in please", "help me log in", "sign in"]
}

intent "other" {
  examples = ["something else", "another thing", "a different matter", "other stuff", "not that"]
}

locals {
  found   = call.user.name != null
  nick    = coalesce(slot.nickname, "friend")
}

connector "crm" {
  type = "fixture"
  data = {
    users = {
      "ann@example.com" = { name = "Ann" }
    }
  }

  operation "find_user" {
    input  = ["email"]
    lookup = "users"
  }

  operation "greet" {
    input  = { who = string }
    output = { text = string }
  }
}

mock {
  operation = connector.crm.find_user
  input     = { email = "ann@example.com" }
  output    = { name = "Ann" }
}

mock {
  operation = connector.crm.find_user
  error     = "not_found"
}

mock {
  operation = connector.crm.greet
  output    = { text = "hello" }
}

dialog "sign_in" {
  trigger = [intent.sign_in]

  slot "email" {
    type     = email
    prompt   = "Your email?"
    validate = local.found
    invalid  = "No account for ${slot.email}."
  }

  call "user" {
    operation = connector.crm.find_user
    input     = { email = slot.email }

    on_not_found {
      reask = slot.email
    }
  }

  call "hello" {
    operation = connector.crm.greet
    input     = { who = local.nick }
  }

  outcome "done" {
    reply = "Welcome, ${call.user.name}."
  }
}

dialog "other" {
  trigger = [intent.other]

  slot "nickname" {
    type   = text
    prompt = "Nickname?"
  }

  outcome "ok" {
    reply = "Noted."
  }
}

test "a known email signs in" {
  turn {
    user  = "sign me in"
    reply = "Your email?"
    calls = [connector.crm.greet] # local.nick reads the other dialog's slot: no wait
  }

  turn {
    user  = "ann@example.com"
    reply = "Welcome, Ann."
    calls = [connector.crm.find_user]
  }
}

test "an unknown email is asked again" {
  turn {
    user = "sign me in"
  }

  turn {
    user  = "bob@example.com"
    reply = "Your email?"
    slots = { email = null }
  }
}
`
	sum, failures, out := runBotTests(t, src)
	if diff := cmp.Diff([]string(nil), failures); diff != "" {
		t.Errorf("failures (-want +got):\n%s\n%s", diff, out)
	}
	if sum.Passed != 2 {
		t.Errorf("passed %d, want 2\n%s", sum.Passed, out)
	}
}
