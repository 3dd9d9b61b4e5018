package engine

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// triageBot routes tickets by keywords and an entity, by intent, and by the
// channel they came on.
const triageBot = `
bot "b" {
  languages = ["en", "zh"]
}

intent "refund" {
  examples = ["I want a refund", "refund my order", "give me my money back", "refund please", "money back", "我要退款"]
}

intent "invoice" {
  examples = ["where is my invoice", "send me an invoice", "I need a receipt", "invoice please", "billing question"]
}

entity "order_id" {
  pattern = "[A-Z]{2}[0-9]{6}"
}

queue "general" {}

queue "refunds" {}

queue "billing" {
  priority = "low"
}

tickets {
  default_queue = queue.general

  notify {
    created = response.received
  }
}

response "received" {
  en = "Got it: ticket ${ticket.id}, ${ticket.priority}."
  zh = "已收到：工单 ${ticket.id}。"
}

triage "damaged" {
  keywords = ["broken", "damaged", "坏了"]
  entities = [entity.order_id]
  queue    = queue.refunds
  priority = "high"
}

triage "refunds" {
  intents = [intent.refund]
  queue   = queue.refunds
}

triage "invoices_by_email" {
  when  = conversation.channel == "email" && intent.name == "invoice"
  queue = queue.billing
}
`

func TestRunTestsTickets(t *testing.T) {
	sum, failures, out := runBotTests(t, triageBot+`
test "a damaged order" {
  ticket {
    subject  = "Broken lamp"
    text     = "Order AB123456 arrived damaged"
    triage   = triage.damaged
    queue    = queue.refunds
    priority = "high"
    entities = { order_id = "AB123456" }
    notice   = response.received
  }

  ticket {
    text   = "订单AB123456的灯坏了"
    triage = triage.damaged
  }
}

test "invoices" {
  for_each = {
    email = { triage = "invoices_by_email", queue = queue.billing, priority = "low" }
    api   = { triage = "none", queue = queue.general, priority = "normal" }
  }

  ticket {
    text     = "where is my invoice"
    channel  = each.key
    triage   = each.value.triage
    queue    = each.value.queue
    priority = each.value.priority
    intent   = intent.invoice
  }
}

test "wrong expectations" {
  ticket {
    text   = "the lamp is broken"
    triage = triage.damaged
  }

  ticket {
    text     = "refund AB123456, it arrived broken"
    triage   = triage.refunds
    priority = "normal"
  }

  ticket {
    text   = "I want a refund"
    triage = "none"
    queue  = queue.general
    intent = intent.invoice
  }

  ticket {
    text     = "refund order AB123456"
    entities = { order_id = "CD654321" }
    notice   = "none"
  }
}
`)
	if sum.Passed != 3 || sum.Failed != 1 {
		t.Errorf("passed %d, failed %d, want 3 and 1:\n%s", sum.Passed, sum.Failed, out)
	}
	want := []string{
		`wrong expectations: ticket 1: triage: want "damaged", got "none": triage "damaged" does not match: no order_id entity is found in the text; the ticket went to queue "general", priority "normal" (no triage block matched)`,
		`wrong expectations: ticket 2: triage: want "refunds", got "damaged": triage "damaged", written before it, matched first; the ticket went to queue "refunds", priority "high" (triage.damaged)`,
		`wrong expectations: ticket 2: priority: want "normal", got "high"; the ticket went to queue "refunds", priority "high" (triage.damaged)`,
		`wrong expectations: ticket 3: triage: want no triage block to match, got "refunds"; the ticket went to queue "refunds", priority "normal" (triage.refunds)`,
		`wrong expectations: ticket 3: queue: want "general", got "refunds"; the ticket went to queue "refunds", priority "normal" (triage.refunds)`,
		`wrong expectations: ticket 3: intent: want "invoice", got "refund" (top confidence 0.98)`,
		`wrong expectations: ticket 4: entities: want order_id "CD654321", got [order_id="AB123456"]`,
		`wrong expectations: ticket 4: expected no notice, got "Got it: ticket T-4, normal." from response "received"`,
	}
	if diff := cmp.Diff(want, failures); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
	// Each failure is placed at its ticket block.
	if !strings.Contains(out, "bot.hcl:90,3-9: ticket 1: triage:") {
		t.Errorf("the failures do not say where:\n%s", out)
	}
}
