bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["I want a refund", "refund my order", "give me my money back", "refund please", "money back"]
}

connector "shop" {
  type = "plain"

  operation "get_order" {
    input  = { order_id = string }
    output = { status = string, total = number }
  }

  operation "refund" {
    input  = { order_id = string, amount = number, reason = optional(string) }
    output = { refund_id = string }
  }
}

dialog "refund" {
  trigger = [intent.refund]

  slot "order_id" {
    type   = text
    prompt = "Which order?"
  }

  slot "amount" {
    type   = text
    prompt = "How much?"
  }

  call "order" {
    operation = connector.shop.get_order
    input     = {} # ERROR: Missing input
  }

  call "money" {
    operation = connector.shop.refund
    input = {
      order_id = slot.order_id
      amount   = slot.amount # ERROR: Wrong input type
    }
  }

  call "nothing" {
    operation = connector.shop.cancel_order # ERROR: Unknown operation
  }

  outcome "big" {
    when  = call.order.totl > 100 # ERROR: Unsupported attribute
    reply = "That is a big order, ${call.money.refund_id}."
  }

  outcome "other" {
    reply = "Refund ${call.money.reference} is on its way." # ERROR: Unsupported attribute
  }
}
