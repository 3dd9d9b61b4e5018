bot "b" {
  languages = ["en"]
}

intent "greet" {
  examples = ["hi", "hello", "hey", "yo", "hiya"]
}

entity "order_id" {
  pattern = "[A-Z]{2}[0-9]{6}"
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

test "entities by a name the bot does not have" {
  turn {
    user = "refund AB123456, 80 yuan"
    entities = {
      order_id = "AB123456"
      amount   = 80 # ERROR: Unknown entity
    }
  }
}

test "quoted names" {
  turn {
    user   = "hi"
    intent = "greet" # ERROR: Expected an intent reference
  }
}
