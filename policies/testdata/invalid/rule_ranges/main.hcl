bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["refund", "I want a refund", "money back", "refund please", "give me my money back"]
}

intent "check" {
  examples = ["check", "check my order", "check status", "status please", "look it up"]
}

variable "review_limit" {
  value = 3000
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

# Issue 14: at exactly 300 the bot silently said nothing.
dialog "refund" { # WARNING: Values no rule covers
  trigger = [intent.refund]

  slot "order_id" {
    type   = text
    prompt = "Order?"
  }

  call "order" {
    operation = connector.orders.get_order
    input     = { order_id = slot.order_id }
  }
}

rule "small" {
  on    = dialog.refund
  when  = call.order.total < 300
  reply = "Refunded."
}

rule "medium" {
  on    = dialog.refund
  when  = call.order.total > 300 && call.order.total <= var.review_limit
  reply = "Under review."
}

rule "large" {
  on    = dialog.refund
  when  = call.order.total > var.review_limit
  reply = "A supervisor will call."
}

rule "large_too" { # WARNING: Never applies
  on    = dialog.refund
  when  = call.order.total >= 5000
  reply = "Never said."
}

dialog "check" { # WARNING: May finish without a word
  trigger = [intent.check]

  slot "order_id" {
    type   = text
    prompt = "Order?"
  }

  call "order" {
    operation = connector.orders.get_order
    input     = { order_id = slot.order_id }
  }

  outcome "shipped" {
    when  = call.order.status == "shipped"
    reply = "Shipped."
  }

  outcome "noted" { # WARNING: Finishes without a word
    when = call.order.status == "new"
    ticket {
      queue   = queue.general
      subject = "Check ${slot.order_id}"
    }
  }
}

queue "general" {}
