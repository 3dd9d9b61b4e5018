package engine

// The turn checks that expect something did not happen ("none") and the
// survey forced by a test, run through parley test's runner.

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// runBotTests runs the tests of a bot written in one file, and returns the
// summary, each failure as "TEST: turn N: MESSAGE", and the report.
func runBotTests(t *testing.T, src string) (TestSummary, []string, string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bot.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	bot, diags := Load(dir, nil)
	if diags.HasErrors() {
		t.Fatalf("load: %s", diags.Error())
	}
	var out bytes.Buffer
	sum, err := RunTests(context.Background(), bot, TestOptions{}, &out)
	if err != nil {
		t.Fatal(err)
	}
	var failures []string
	for _, f := range sum.Failures {
		failures = append(failures, f.Test+": "+f.step()+": "+f.Message)
	}
	return sum, failures, out.String()
}

// noneBot hands off, opens a ticket or asks for an approval, each on its
// own intent, so a test can check that a turn did none of them.
const noneBot = `
bot "b" {
  languages = ["en"]
}

intent "human" {
  examples = ["talk to a human", "I want a person", "real agent please", "connect me to an agent", "speak to someone"]
}

intent "complain" {
  examples = ["I want to complain", "this is a complaint", "file a complaint", "I am unhappy with the service", "complaint please"]
}

intent "refund" {
  examples = ["refund my order", "I want a refund", "money back please", "give me a refund", "refund please"]
}

intent "hours" {
  examples = ["when are you open", "opening hours", "what time do you open", "are you open today", "hours please"]
}

queue "general" {}

queue "supervisors" {}

connector "shop" {
  type = "fixture"
  data = {}

  operation "refund" {
    input  = { amount = number }
    output = { refund_id = string }
  }
}

mock {
  operation = connector.shop.refund
  output    = { refund_id = "R1" }
}

answer "hours" {
  intent = intent.hours
  reply  = "9 to 5."
}

dialog "human" {
  trigger = [intent.human]

  outcome "handed" {
    reply   = "Passing you on."
    handoff = queue.general
  }
}

dialog "complain" {
  trigger = [intent.complain]

  outcome "filed" {
    reply = "Noted."
    ticket {
      queue   = queue.general
      subject = "Complaint"
    }
  }
}

dialog "refund" {
  trigger = [intent.refund]

  outcome "refund" {
    call "refund" {
      operation = connector.shop.refund
      input     = { amount = 900 }

      approval {
        queue  = queue.supervisors
        reason = "A refund of 900"

        on_approve {
          reply = "Refunded."
        }
        on_reject {
          reply = "Declined."
        }
        on_expire {
          reply = "Nobody decided in time."
        }
      }
    }
    reply = "A supervisor will look at it."
  }
}
`

// "none" expects that a turn did not hand off, open a ticket or ask for an
// approval; a turn that did fails, naming the queue.
func TestRunTestsExpectNone(t *testing.T) {
	tests := `
test "nothing happens" {
  turn {
    user     = "when are you open"
    handoff  = "none"
    ticket   = "none"
    approval = "none"
  }
}

test "none in a table" {
  for_each = {
    human    = { user = "talk to a human", handoff = queue.general, ticket = "none" }
    complain = { user = "I want to complain", handoff = "none", ticket = queue.general }
  }

  turn {
    user    = each.value.user
    handoff = each.value.handoff
    ticket  = each.value.ticket
  }
}

test "a handoff" {
  turn {
    user    = "talk to a human"
    handoff = "none"
  }
}

test "a ticket" {
  turn {
    user   = "I want to complain"
    ticket = "none"
  }
}

test "an approval" {
  turn {
    user     = "refund my order"
    approval = "none"
  }
}
`
	sum, got, out := runBotTests(t, noneBot+tests)
	want := []string{
		`a handoff: turn 1: expected no handoff, got a handoff to queue "general"; the bot said ["Passing you on."]`,
		`a ticket: turn 1: expected no ticket, got tickets in [general]`,
		`an approval: turn 1: expected no approval asked, got approvals in [supervisors]`,
	}
	if sum.Passed != 3 {
		t.Errorf("%d passed, want 3:\n%s", sum.Passed, out)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("failures (-want +got):\n%s\n%s", diff, out)
	}
}

// survey = true | false forces the after_bot draw, whatever the test's name
// would draw.
func TestRunTestsForcedSurvey(t *testing.T) {
	src := surveyBot + `
test "asked" {
  for_each = ["a", "b", "c", "d", "e", "f", "g", "h"]
  survey   = true

  turn {
    user       = "when are you open"
    reply_glob = "How did we do?*"
  }
}

test "not asked" {
  for_each = ["a", "b", "c", "d", "e", "f", "g", "h"]
  survey   = false

  turn {
    user  = "when are you open"
    reply = "9 to 5."
  }
}

test "expects a survey it is not asked" {
  survey = false

  turn {
    user       = "when are you open"
    reply_glob = "How did we do?*"
  }
}
`
	sum, got, out := runBotTests(t, src)
	want := []string{`expects a survey it is not asked: turn 1: no reply matches the pattern "How did we do?*"; the bot said ["9 to 5."]`}
	if sum.Passed != 16 {
		t.Errorf("%d passed, want 16:\n%s", sum.Passed, out)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("failures (-want +got):\n%s\n%s", diff, out)
	}
}
