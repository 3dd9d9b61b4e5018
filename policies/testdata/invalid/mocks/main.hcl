bot "b" {
  languages = ["en"]
}

intent "greet" {
  examples = ["hi", "hello", "hey", "yo", "hiya"]
}

connector "orders" {
  type = "fixture"
  data = {}

  operation "get_order" {
    input  = { order_id = string }
    output = { status = string, total = number }
  }
}

mock {
  operation = connector.orders.cancel_order # ERROR: Unknown operation
  output    = {}
}

mock {
  operation = connector.ordres.get_order # ERROR: Unknown connector
  error     = "not_found"
}

mock {
  operation = connector.orders.get_order
  input     = { order = "AB123456" } # ERROR: Unknown input
  output    = { status = "shipped", totl = 3 } # ERROR: Unknown output field
}

mock {
  operation = connector.orders.get_order
  output    = { total = "a lot" } # ERROR: Invalid mock value
}

mock {
  operation = connector.orders.get_order
  error     = "gone" # ERROR: Invalid mock error
}

mock {
  operation = connector.orders.get_order
  output    = { status = "shipped" }
  error     = "timeout" # ERROR: Conflicting mock result
}

mock { # ERROR: Missing mock result
  operation = connector.orders.get_order
}

mock {
  operation = response.greet # ERROR: Expected a connector operation
  output    = {}
}

mock {
  operation = connector.orders.get_order
  output    = "shipped" # ERROR: Incorrect value type
}

test "t" {
  mock {
    operation = connector.orders.get_order
    input     = { order_id = each.key } # ERROR: each outside for_each
    output    = {}
  }

  mock {
    operation = connector.orders.get_order
    input     = { order_id = 42 }
    output    = { status = ["a"] } # ERROR: Invalid mock value
  }

  turn {
    user = "hi"
  }
}
