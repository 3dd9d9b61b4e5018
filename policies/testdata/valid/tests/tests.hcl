test "orders" {
  for_each = {
    AB123456 = { response = response.shipped, calls = [connector.orders.get_order] }
    CD654321 = { response = "other", calls = ["orders.get_order"] }
  }
  live = false

  mock {
    operation = connector.orders.get_order
    input     = { order_id = "CD654321" }
    output    = { status = "processing", total = 5 }
  }

  connector "orders" {
    data = { key = each.key }
  }

  turn {
    user         = "where is ${each.key}"
    intent       = intent.track
    entities     = { order_id = each.key }
    slots        = { order_id = each.key }
    dialog_slots = { track = { order_id = each.key } }
    calls        = each.value.calls
    response     = each.value.response
  }
}

test "phrasings" {
  for_each = ["where is my order", "track my order"]

  turn {
    user     = each.value
    intent   = intent.track
    entities = {}
  }

  turn {
    user = upper("ab123456") # a function needs no each
  }
}
