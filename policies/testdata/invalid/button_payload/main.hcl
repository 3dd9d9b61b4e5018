bot "b" {
  languages = ["en"]
}

intent "track" {
  examples = ["where is my order", "track order", "track my parcel", "order status", "where is my parcel"]
}

response "menu" {
  en = "What can I do?"
  button "trak" { # ERROR: Unknown button payload
    en = "Track"
  }
}
