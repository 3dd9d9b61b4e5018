package policies

import (
	"strings"
	"testing"
)

const linesConnector = `
connector "lines" {
  type = "fixture"
  operation "suspend" {
    input   = ["phone"]
    respond = { id = "S-1" }
  }
}
`

func TestUnsupportedSaysWhatTheBlockTakes(t *testing.T) {
	const head = `
bot "b" {
  languages = ["en"]
}

intent "fee" {
  examples = ["fee", "cancel fee", "waive the fee", "cancellation fee", "remove the fee"]
}

queue "general" {}
`
	tests := []struct {
		name, src, want string
	}{
		{"on_yes beside on_no", `
dialog "d" {
  trigger = [intent.fee]
  confirm {
    prompt = "Go ahead?"
    on_yes {
      reply = "OK"
    }
  }
  outcome "o" {
    reply = "x"
  }
}`, `Blocks of type "on_yes" are not expected here. A confirm block takes when, prompt and on_no { }.`},
		{"a ticket's priority on an outcome", `
dialog "d" {
  trigger = [intent.fee]
  outcome "o" {
    priority = "high"
    reply    = "x"
  }
}`, `An outcome takes reply, handoff, start, reask, end, remember, when, resolves, amount, call { } and ticket { }.`},
		{"value_buttons in a slot", `
entity "reason" {
  values = { late = ["late"], lost = ["lost"] }
}

dialog "d" {
  trigger = [intent.fee]
  slot "reason" {
    type          = reason
    prompt        = "Why?"
    value_buttons = reason
  }
}`, `Buttons belong to the response that asks the question`},
		{"a button in a slot", `
dialog "d" {
  trigger = [intent.fee]
  slot "ok" {
    type   = yes_no
    prompt = "Waive it?"
    button "yes" {
      en = "Yes"
    }
  }
}`, `give that response the buttons`},
		{"resolves in a call's error handler", linesConnector + `
dialog "d" {
  trigger = [intent.fee]
  outcome "o" {
    call "suspend" {
      operation = connector.lines.suspend
      input     = { phone = "1" }
      on_rejected {
        resolves = false
        reply    = "We can't."
      }
    }
    reply = "x"
  }
}`, `An argument named "resolves" is not expected here. An on_rejected block takes reply, handoff, start, reask, end, remember, call { } and ticket { }. resolves is a setting of a rule or an outcome, not of a block of actions, which runs whenever what it handles happens.`},
		{"when in on_error", linesConnector + `
dialog "d" {
  trigger = [intent.fee]
  call "suspend" {
    operation = connector.lines.suspend
    input     = { phone = "1" }
    on_error {
      codes = ["unavailable"]
      when  = true
      reply = "Down."
    }
  }
  outcome "o" {
    reply = "x"
  }
}`, `An on_error block takes reply, handoff, start, reask, end, remember, codes, call { } and ticket { }. when is a setting of a rule or an outcome`},
		{"on_exhausted lists offer_continue", `
dialog "d" {
  trigger = [intent.fee]
  slot "n" {
    type   = number
    prompt = "How many?"
    on_exhausted {
      priority = "high"
    }
  }
  outcome "o" {
    reply = "x"
  }
}`, `An on_exhausted block takes offer_continue, reply, handoff, start, reask, end, remember, call { } and ticket { }.`},
		{"a typo keeps HCL's suggestion alone", `
handoff "h" {
  when   = intent.name == "fee"
  queue  = queue.general
  repyl  = "x"
}`, `Did you mean "reply"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := errorDetails(t, head+tt.src)
			if len(errs) != 1 || !strings.Contains(errs[0], tt.want) {
				t.Errorf("want one error saying %q, got %q", tt.want, errs)
			}
			if strings.Contains(tt.want, "Did you mean") && strings.Contains(errs[0], " takes ") {
				t.Errorf("a suggestion is enough; got %q", errs[0])
			}
		})
	}
}
