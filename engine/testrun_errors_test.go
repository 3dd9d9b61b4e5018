package engine

import (
	"strings"
	"testing"
)

// A failing turn whose reply is the error reply says what broke: without
// it, "got responses [error]" leaves the analyst guessing which response,
// condition or input failed.
func TestFailingTurnSaysWhatBroke(t *testing.T) {
	src := `
bot "b" {
  languages = ["en"]
}

intent "quote" {
  examples = ["what does the repair cost", "give me a quote", "how much is the repair", "repair price", "quote please"]
}

connector "repairs" {
  type = "fixture"
  data = {}

  operation "quote" {
    output  = { price = number }
    respond = {}
  }
}

response "price" {
  en = "The repair costs ${money(call.quote.price, "USD")}."
}

dialog "quote" {
  trigger = [intent.quote]

  call "quote" {
    operation = connector.repairs.quote
  }

  outcome "told" {
    reply = response.price
  }
}

test "the price is said" {
  turn {
    user     = "give me a quote"
    response = response.price
  }
}

test "a passing turn says nothing about it" {
  turn {
    user = "give me a quote"
  }
}
`
	sum, failures, _ := runBotTests(t, src)
	if sum.Failed != 1 {
		t.Fatalf("failed = %d, want 1; failures: %q", sum.Failed, failures)
	}
	var why string
	for _, f := range failures {
		if strings.Contains(f, "the bot met errors in this turn") {
			why = f
		}
	}
	for _, want := range []string{"the price is said: turn 1:", `response price:`, `"amount"`, "must not be null"} {
		if !strings.Contains(why, want) {
			t.Errorf("no failure says %q; failures: %q", want, failures)
		}
	}
}
