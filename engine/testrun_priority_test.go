package engine

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ticket_priority checks the priority of the ticket a turn opens in its
// queue, as the ticket's priority expression chose it.
func TestRunTestsTicketPriority(t *testing.T) {
	src := `
bot "b" {
  languages = ["en"]
}

intent "complain" {
  examples = ["I want to complain", "this is a complaint", "file a complaint", "I am unhappy with the service", "complaint please"]
}

queue "complaints" {}

dialog "complain" {
  trigger = [intent.complain]

  outcome "filed" {
    reply = "Noted."
    ticket {
      queue    = queue.complaints
      subject  = "Complaint"
      priority = coalesce(customer.vip, false) ? "high" : "normal"
    }
  }
}

test "a VIP's complaint is high" {
  customer = { vip = true }

  turn {
    user            = "I want to complain"
    ticket          = queue.complaints
    ticket_priority = "high"
  }
}

test "anyone else's is normal" {
  turn {
    user            = "I want to complain"
    ticket          = queue.complaints
    ticket_priority = "normal"
  }
}

test "expects high for anyone" {
  turn {
    user            = "I want to complain"
    ticket          = queue.complaints
    ticket_priority = "high"
  }
}
`
	sum, failures, _ := runBotTests(t, src)
	if sum.Passed != 2 {
		t.Errorf("passed %d, want 2", sum.Passed)
	}
	want := []string{`expects high for anyone: turn 1: ticket in queue "complaints": want priority "high", got normal`}
	if diff := cmp.Diff(want, failures); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
}
