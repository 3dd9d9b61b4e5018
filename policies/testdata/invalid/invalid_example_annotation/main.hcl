bot "b" {
  languages = ["en"]
}

intent "track" {
  examples = [
    "where is my order",
    "track order [AB123456]()", # ERROR: Invalid example
    "track my parcel",
    "order status",
    "where is my parcel",
  ]
}
