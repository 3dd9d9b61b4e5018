bot "b" {
  languages = ["en"]
}

intent "track" {
  examples = ["where is my order", "track order", "track my parcel", "order status", "where is my parcel"]
}

entity "order_id" {
  pattern = "[A-Z]{2}[0-9]{6}"
}

dialog "track" {
  trigger = [intent.track]
  slot "order_id" {
    type   = ordr_id # ERROR: Unknown slot type
    prompt = "Which order?"
  }
}
