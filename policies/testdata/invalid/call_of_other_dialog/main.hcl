bot "b" {
  languages = ["en"]
}

intent "track" {
  examples = ["where is my order", "track order", "track my parcel", "order status", "where is my parcel"]
}

intent "refund" {
  examples = ["refund", "money back", "i want a refund", "refund please", "return for refund"]
}

connector "orders" {
  type = "plain"
  operation "get_order" {}
}

dialog "track" {
  trigger = [intent.track]
  call "order" {
    operation = connector.orders.get_order
  }
}

dialog "refund" {
  trigger = [intent.refund]
  outcome "done" {
    when  = call.order.status == "delivered" # ERROR: Call not available here
    reply = "Done"
  }
}
