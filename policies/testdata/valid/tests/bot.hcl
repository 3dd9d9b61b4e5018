bot "b" {
  languages = ["en"]
}

intent "track" {
  examples = ["where is my order", "track my order", "where is [AB123456](order_id)", "has it shipped", "status of my parcel"]
}

entity "order_id" {
  pattern = "[A-Z]{2}[0-9]{6}"
}

response "shipped" {
  en = "Shipped."
}

response "other" {
  en = "It is ${call.order.status}."
}

connector "orders" {
  type = "fixture"
  data = {}

  operation "get_order" {
    input  = { order_id = string, verbose = optional(bool) }
    output = { status = string, total = number }
  }
}

dialog "track" {
  trigger = [intent.track]

  slot "order_id" {
    type   = order_id
    prompt = "Which order?"
  }

  call "order" {
    operation = connector.orders.get_order
    input     = { order_id = slot.order_id }
  }

  outcome "shipped" {
    when  = call.order.status == "shipped"
    reply = response.shipped
  }

  outcome "other" {
    reply = response.other
  }
}

mock {
  operation = connector.orders.get_order
  input     = { order_id = "AB123456" }
  output    = { status = "shipped", total = "320" } # converted to a number
}

mock {
  operation = connector.orders.get_order
  error     = "not_found"
}
