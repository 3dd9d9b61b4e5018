package dialog

import (
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/policies"
)

// presetBot asks for the sign-in email, starting from the customer's, and
// checks it with a call: a value the call refuses is invalid.
const presetBot = `
bot "b" {
  languages = ["en"]
}

intent "reset" {
  examples = ["reset my password", "forgot my password", "locked out", "can't log in", "password reset"]
}

queue "general" {}

connector "accounts" {
  type = "fixture"
  data = {
    users = { "ann@example.com" = { name = "Ann" } }
  }

  operation "find_user" {
    input  = { email = string }
    output = { name = string }
    lookup = "users"
  }
}

dialog "reset" {
  trigger = [intent.reset]

  slot "email" {
    type     = email
    prompt   = "Your sign-in email?"
    default  = customer.email
    validate = call.user.name != null
    invalid  = "No account for ${slot.email}. Your sign-in email?"
    retries  = 1

    on_exhausted {
      reply   = "Let me get a colleague."
      handoff = queue.general
    }
  }

  call "user" {
    operation = connector.accounts.find_user
    input     = { email = slot.email }
  }

  outcome "sent" {
    reply = "Reset link sent to ${slot.email}."
  }
}
`

// A default a call refuses is said to be refused (the customer learns which
// address was tried) but costs no attempt: it was not the customer's answer.
func TestPresetValueRefusedCostsNoAttempt(t *testing.T) {
	bot, diags := policies.LoadFiles(map[string][]byte{"main.hcl": []byte(presetBot)}, policies.Options{Connectors: connectorTypes{}})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	bob := cty.ObjectVal(map[string]cty.Value{"email": cty.StringVal("bob@example.com")})
	runConversations(t, []conversation{
		{
			name:     "the default refused, then one wrong answer is still allowed",
			bot:      bot,
			customer: bob,
			turns: []exchange{
				{in: say("forgot my password", intent("reset", 0.9)), calls: []string{"accounts.find_user"},
					replies: []string{"No account for bob@example.com. Your sign-in email?"}},
				{in: say("carl@example.com", ent("email", "carl@example.com")), calls: []string{"accounts.find_user"},
					replies: []string{"No account for carl@example.com. Your sign-in email?"}},
				{in: say("ann@example.com", ent("email", "ann@example.com")), calls: []string{"accounts.find_user"},
					replies: []string{"Reset link sent to ann@example.com."}},
			},
		},
		{
			name:     "the customer's own answers use up the attempts",
			bot:      bot,
			customer: bob,
			turns: []exchange{
				{in: say("forgot my password", intent("reset", 0.9))},
				{in: say("carl@example.com", ent("email", "carl@example.com"))},
				{in: say("dan@example.com", ent("email", "dan@example.com")), replies: []string{"Let me get a colleague."}, handoff: "general"},
			},
		},
	})
}
