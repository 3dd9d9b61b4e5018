bot "b" {
  languages = ["en"]
}

intent "track" {
  examples = ["where is my order", "track order", "track my parcel", "order status", "where is my parcel"]
}

dialog "track" {
  trigger = [intent.track]
  slot "order_id" {
    type     = text
    prompt   = "Which order?"
    validate = slot.order_id > 5 # ERROR: Invalid operand
  }
}
