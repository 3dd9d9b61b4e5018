bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["refund", "I want a refund", "money back", "refund please", "give me my money back"]
}

intent "track" {
  examples = ["where is my order", "track order", "track my parcel", "order status", "has it shipped"]
}

connector "orders" {
  type = "fixture"
  data = {}

  operation "refund" {
    input   = { order_id = string }
    respond = { refund_id = "RF-{order_id}" }
  }
}

response "refund_done" {
  en = "Refunded: ${call.refund.refund_id}."
}

dialog "refund" {
  trigger = [intent.refund]

  slot "order_id" {
    type   = text
    prompt = "Order?"
  }

  outcome "done" {
    call "refund" {
      operation = connector.orders.refund
      input     = { order_id = slot.order_id }
    }
    reply = response.refund_done
  }
}

# The same response, said where no refund call exists: the customer would get
# the error reply instead.
dialog "track" {
  trigger = [intent.track]

  slot "order_id" {
    type   = text
    prompt = "Order?"
  }

  outcome "done" {
    reply = response.refund_done # ERROR: Response reads a call that is not here
  }
}
