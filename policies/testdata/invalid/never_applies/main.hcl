# Rules on a dialog, then its outcomes: the first whose when holds applies.
# A block after ones that together cover everything it covers never runs.

bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["refund", "I want a refund", "money back", "refund please", "give me my money back"]
}

intent "credit" {
  examples = ["credit", "give me credit", "store credit", "credit please", "credit my account"]
}

intent "check" {
  examples = ["check", "check my order", "check status", "status please", "look it up"]
}

variable "limit" {
  value = 500
}

connector "orders" {
  type = "fixture"
  data = {}

  operation "get_order" {
    input  = { order_id = string }
    output = { total = number, status = string }
    lookup = "orders"
  }
}

dialog "refund" {
  trigger = [intent.refund]

  slot "amount" {
    type   = money
    prompt = "How much?"
  }

  outcome "manual" { # WARNING: Never applies
    reply = "Someone will look at it."
  }

  outcome "after_everything" { # WARNING: Never applies
    reply = "Never said."
  }
}

rule "auto_approve" {
  on    = dialog.refund
  when  = slot.amount < var.limit
  reply = "Approved."
}

rule "supervisor" {
  on    = dialog.refund
  when  = slot.amount >= var.limit
  reply = "A supervisor will decide."
}

# call.order.total is null when the system leaves it out, and then no rule
# holds: the outcome without when is reachable and gets no warning.
dialog "check" {
  trigger = [intent.check]

  slot "order_id" {
    type   = text
    prompt = "Order?"
  }

  call "order" {
    operation = connector.orders.get_order
    input     = { order_id = slot.order_id }
  }

  outcome "unknown_total" {
    reply = "I can't see the total of that order."
  }
}

rule "check_small" {
  on    = dialog.check
  when  = call.order.total < 300
  reply = "Small."
}

rule "check_medium" {
  on    = dialog.check
  when  = call.order.total >= 300 && call.order.total < 1000
  reply = "Medium."
}

rule "check_inside" { # WARNING: Never applies
  on    = dialog.check
  when  = call.order.total > 200 && call.order.total < 800
  reply = "Never said."
}

rule "check_large" { # WARNING: Overlapping ranges
  on    = dialog.check
  when  = call.order.total >= 900
  reply = "Large."
}

# A rule with once = true applies once; after that the outcome runs.
dialog "credit" {
  trigger = [intent.credit]

  slot "amount" {
    type   = money
    prompt = "How much?"
  }

  outcome "again" {
    reply = "You had your credit already."
  }
}

rule "first_credit" {
  on    = dialog.credit
  once  = true
  when  = slot.amount < 100
  reply = "Credited."
}

rule "credit_review" {
  on    = dialog.credit
  when  = slot.amount >= 100
  reply = "Under review."
}
