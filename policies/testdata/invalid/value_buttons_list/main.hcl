bot "b" {
  languages = ["en"]
}

intent "missing_item" {
  examples = ["an item is missing", "something was missing from my order", "you forgot an item", "my bag was short", "missing item"]
}

entity "order_id" {
  pattern = "[A-Z]{2}[0-9]{6}"
}

connector "orders" {
  type     = "http"
  base_url = "http://127.0.0.1:8090"

  operation "get_order" {
    method = "GET"
    path   = "/orders/{order_id}"
    input  = { order_id = string }
    output = { total = number, items = list(string), lines = list(object({ sku = string, qty = number })) }
  }
}

response "ask_by_total" {
  en            = "Which item?"
  value_buttons = call.order.total # ERROR: Incorrect value type
}

response "ask_by_order" {
  en            = "Which item?"
  value_buttons = call.order # ERROR: Incorrect value type
}

response "ask_by_line" {
  en            = "Which item?"
  value_buttons = call.order.lines # ERROR: Incorrect value type
}

dialog "missing_item" {
  trigger = [intent.missing_item]

  slot "order_id" {
    type   = order_id
    prompt = "Which order?"
  }

  call "order" {
    operation = connector.orders.get_order
    input     = { order_id = slot.order_id }
  }

  slot "item" {
    type   = text
    prompt = response.ask_by_total
  }

  slot "line" {
    type   = text
    prompt = response.ask_by_line
  }

  outcome "noted" {
    reply = "Thanks."
  }
}
