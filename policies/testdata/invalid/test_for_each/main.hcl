bot "b" {
  languages = ["en"]
}

intent "greet" {
  examples = ["hi", "hello", "hey", "yo", "hiya"]
}

entity "order_id" {
  pattern = "[A-Z]{2}[0-9]{6}"
}

response "hello" {
  en = "Hello!"
}

dialog "track" {
  trigger = [intent.greet]

  slot "order_id" {
    type   = order_id
    prompt = "Which order?"
  }
}

test "not a collection" {
  for_each = 3 # ERROR: Invalid for_each

  turn {
    user = "hi"
  }
}

test "duplicate" {
  for_each = ["hi", "hi"] # ERROR: Duplicate for_each element

  turn {
    user = each.value
  }
}

test "empty" {
  for_each = {} # WARNING: Empty for_each

  turn {
    user = "hi"
  }
}

test "references" {
  for_each = {
    a = { response = response.helo, intent = intent.greet } # ERROR: Unknown response
    b = { response = "goodbye", intent = "greet" }
  }

  turn {
    user     = "hi"
    intent   = each.value.intent
    response = each.value.response # ERROR: Unknown response
  }
}

test "wrong kind" {
  for_each = { a = "intent.greet" }

  turn {
    user     = "hi"
    response = each.value # ERROR: Expected a response reference
  }
}

test "a reference chosen with an index" {
  for_each = { a = "goodbye" }

  turn {
    user     = "hi"
    response = response[each.value] # ERROR: A reference is written out
  }
}

test "a case without a field" {
  for_each = {
    a = { says = "Hello!", intent = intent.greet }
    b = { intent = intent.greet }
  }

  turn {
    user      = "hi"
    intent    = each.value.intent
    reply      = each.value.says # ERROR: Missing field in a for_each case
    reply_glob = each.value.sayz # ERROR: Missing field in a for_each case
  }
}

test "each outside for_each" {
  turn {
    user = each.value # ERROR: each outside for_each
  }
}

test "checks" {
  turn {
    user         = "hi"
    entities     = { order = "AB123456" } # ERROR: Unknown entity
    dialog_slots = { trak = {} } # ERROR: Unknown dialog
  }

  turn {
    user         = "hi"
    dialog_slots = { track = { order = "AB123456" } } # ERROR: Unknown slot
    entities     = { order_id = { a = 1 } } # ERROR: Incorrect value type
  }
}

connector "orders" {
  type = "fixture"
  data = {}

  operation "get_order" {}
}

test "operations" {
  for_each = {
    a = [connector.orders.get_ordr] # ERROR: Unknown operation
    b = ["orders.cancel"]
  }

  turn {
    user  = "hi"
    calls = each.value # ERROR: Unknown operation
  }
}

test "a case without a response" {
  for_each = {
    a = { response = response.hello }
    b = { response = null }
  }

  turn {
    user     = "hi"
    response = each.value.response # ERROR: Incorrect value type
  }
}

test "terraform's toset" {
  for_each = toset(["hi", "hello"]) # ERROR: Unneeded toset()

  turn {
    user = each.value
  }
}
