bot "b" {
  languages = ["en"]
}

intent "track" {
  examples = ["where is my order", "track order", "track my parcel", "order status", "where is my parcel"]
}

connector "orders" {
  type = "plain"
  operation "get_order" {
    input = ["order_id"]
  }
}

dialog "track" {
  trigger = [intent.track]
  slot "order_id" {
    type   = text
    prompt = "Which order?"
  }
  call "order" {
    operation = connector.orders.get_order
    input = {
      order_id = slot.order_id
      ordr     = slot.order_id # ERROR: Unknown input
    }
  }
}
