bot "b" {
  languages = ["en"]
}

intent "greet" {
  examples = ["hi", "hello", "hey", "yo", "hiya"]
}

connector "orders" {
  type = "fixture"
  data = {}
  operation "get_order" {}
}

test "t" {
  now = "yesterday" # ERROR: Invalid time

  connector "ordres" { # ERROR: Unknown connector
    data = {}
  }

  turn {
    user   = "hi"
    intent = intent.gret # ERROR: Unknown intent
    calls  = [connector.orders.get_ordr] # ERROR: Unknown operation
    dialog = "nothing" # ERROR: Expected a dialog reference
    slots  = { order = "x" } # ERROR: Unknown slot
  }
}

test "quoted names" {
  turn {
    user   = "hi"
    intent = "greet" # ERROR: Expected an intent reference
  }
}
