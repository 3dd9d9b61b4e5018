bot "grocer" {
  languages = ["en", "zh"]
}

intent "missing_item" {
  examples = [
    "an item is missing", "something was missing from my order", "you forgot an item",
    "my bag was short", "missing item", "少了一件商品", "订单里缺东西", "漏发了",
  ]
}

entity "order_id" {
  pattern = "[A-Z]{2}[0-9]{6}"
}

entity "product" {
  values = {
    milk  = ["whole milk"]
    bread = ["loaf"]
    eggs  = ["a dozen eggs"]
  }
  labels = {
    milk  = { en = "Milk", zh = "牛奶" }
    bread = { en = "Bread", zh = "面包" }
    eggs  = { en = "Eggs", zh = "鸡蛋" }
  }
}

connector "orders" {
  type     = "http"
  base_url = "http://127.0.0.1:8090"

  operation "get_order" {
    method = "GET"
    path   = "/orders/{order_id}"
    input  = { order_id = string }
    output = { items = list(string), lines = list(object({ sku = string, qty = number })) }
  }
}

response "ask_item" {
  en            = "Which item was missing?"
  zh            = "缺了哪件商品？"
  value_buttons = call.order.items
}

response "ask_sku" {
  en            = "Which line?"
  zh            = "哪一行？"
  value_buttons = [for l in call.order.lines : l.sku]
}

# A list written out offers its values too.
response "ask_bag" {
  en            = "Paper or plastic for the replacement?"
  zh            = "补发用纸袋还是塑料袋？"
  value_buttons = ["paper", "plastic"]
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
    type     = product
    prompt   = response.ask_item
    validate = contains(call.order.items, slot.item)
    invalid  = "That isn't in your order. Which item was missing?"
  }

  slot "sku" {
    type   = text
    prompt = response.ask_sku
  }

  slot "bag" {
    type   = text
    prompt = response.ask_bag
  }

  outcome "noted" {
    reply = "Thanks, we'll refund the ${label("product", slot.item)}."
  }
}

mock {
  operation = connector.orders.get_order
  input     = { order_id = "AB123456" }
  output = {
    items = ["milk", "eggs", "milk"]
    lines = [{ sku = "SKU-1", qty = 1 }, { sku = "SKU-2", qty = 2 }]
  }
}

test "buttons from the order" {
  turn {
    user     = "an item is missing from AB123456"
    response = response.ask_item
  }
  turn {
    user     = "eggs"
    response = response.ask_sku
  }
  turn {
    user     = "SKU-2"
    response = response.ask_bag
  }
  turn {
    user  = "paper"
    reply = "Thanks, we'll refund the Eggs."
  }
}
