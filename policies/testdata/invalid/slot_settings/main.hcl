bot "b" {
  languages = ["en"]
}

intent "track" {
  examples = ["where is my order", "track order", "track my parcel", "order status", "where is my parcel"]
}

dialog "track" {
  trigger = [intent.track]
  slot "order_id" {
    type    = text
    prompt  = "Which order?"
    retries = -1 # ERROR: Invalid retries
  }
  slot "order_id" { # ERROR: Duplicate slot
    type   = text
    prompt = "Which order?"
  }
}
