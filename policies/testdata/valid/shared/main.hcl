bot "shared" {
  languages = ["en"]
}

intent "track" {
  examples = ["where is my order", "track order [AB123456](order_id)", "track my parcel", "order status", "has it shipped"]
}

intent "refund" {
  examples = ["I want a refund", "refund [AB123456](order_id)", "money back please", "refund my order", "give me a refund"]
}

entity "order_id" {
  pattern = "[A-Z]{2}[0-9]{6}"
}

queue "general" {}

# Defined once, used by both dialogs.
slot "order_id" {
  type    = order_id
  prompt  = "What's your order number?"
  retries = 2

  on_exhausted {
    handoff = queue.general
  }
}

call "order" {
  operation = connector.orders.get_order
  input     = { order_id = slot.order_id }

  on_not_found {
    reply = "I couldn't find order ${slot.order_id}."
    reask = slot.order_id
  }

  on_error {
    codes = ["unavailable", "timeout"]
    reply = "Our order system is down; please try again later."
  }

  on_error {
    reply = "Something went wrong."
  }
}

connector "orders" {
  type = "fixture"
  data = { orders = { AB123456 = { status = "shipped", total = 320 } } }

  operation "get_order" {
    input  = { order_id = string }
    output = { status = string, total = number }
    lookup = "orders"
  }
}

dialog "track" {
  trigger = [intent.track]

  slot "order_id" {}
  call "order" {}

  outcome "found" {
    reply = "Order ${slot.order_id} is ${call.order.status}."
  }
}

dialog "refund" {
  trigger = [intent.refund]

  slot "order_id" {
    prompt = "Which order should I refund?" # replaces the shared prompt
  }
  call "order" {}

  outcome "done" {
    reply = "Refunding ${call.order.total}."
  }
}
