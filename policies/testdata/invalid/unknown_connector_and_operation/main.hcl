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

  call "a" {
    operation = connector.ordrs.get_order # ERROR: Unknown connector
  }
  call "b" {
    operation = connector.orders.get_ordr # ERROR: Unknown operation
    input     = { order_id = "x" }
  }
}
