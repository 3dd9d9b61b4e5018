bot "shared" {
  languages = ["en"]
}

intent "track" {
  examples = ["where is my order", "track order", "track my parcel", "order status", "has it shipped"]
}

queue "general" {}

slot "order_id" { # WARNING: Unused shared slot
  type   = text
  prompt = "What's your order number?"
  colour = "red" # ERROR: Unsupported argument
}

call "order" {
  operation = connector.orders.get_order
  input     = { order_id = slot.order_id } # ERROR: Unknown slot

  on_not_found {
    reask = slot.order_id # ERROR: Unknown slot
  }

  on_error {
    codes = ["unavailable", "timeout", "unavailabel"] # ERROR: Invalid error code
  }

  on_timeout { # ERROR: Error code handled twice
  }
}

call "unused" { # WARNING: Unused shared call
  operation = connector.orders.get_order
}

connector "orders" {
  type = "fixture"
  data = {}

  operation "get_order" {
    input  = { order_id = string }
    lookup = "orders"
  }
}

dialog "track" {
  trigger = [intent.track]

  slot "number" {} # ERROR: Missing slot type
  call "order" {}
  call "other" {} # ERROR: Missing operation

  outcome "found" {
    reply = "Found."
  }
}
