bot "inbox" {
  languages = ["en"]
}

intent "track" {
  examples = ["where is my order", "track my order", "order status", "where is my parcel", "track parcel"]
}

intent "human" {
  examples = ["talk to a person", "human please", "agent", "real person", "speak to someone"]
}

entity "order_id" {
  pattern = "[A-Z]{2}[0-9]{6}"
}

queue "general" {
  skill = "general"
}

connector "orders" {
  type = "fixture"

  data = {
    orders = { AB123456 = { status = "shipped" } }
  }

  operation "get_order" {
    input  = { order_id = string }
    output = { status = string }
    lookup = "orders"
  }

  operation "outage" {
    input = { order_id = string }
    fail  = "unavailable"
  }
}

dialog "track" {
  trigger = [intent.track]

  slot "order_id" {
    type   = order_id
    prompt = "Order number?"
  }

  call "order" {
    operation = connector.orders.get_order
    input     = { order_id = slot.order_id }

    on_not_found {
      reply = "No order ${slot.order_id}."
      reask = slot.order_id
    }

    on_error {
      reply = "Something else went wrong."
    }
  }

  call "status" {
    operation = connector.orders.outage
    input     = { order_id = slot.order_id }

    on_unavailable {
      reply   = "Our order system is down; I've passed this on."
      handoff = queue.general
    }
  }

  outcome "done" {
    reply = "Order ${slot.order_id}: ${call.order.status}."
  }
}

handoff "asked" {
  when  = intent.name == "human"
  queue = queue.general
  reply = "Connecting you."
}
