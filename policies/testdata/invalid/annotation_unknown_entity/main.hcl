bot "b" {
  languages = ["en"]
}

intent "track" {
  examples = [
    "where is my order",
    "track order [AB123456](order_number)", # ERROR: Unknown entity
    "track my parcel",
    "order status",
    "where is my parcel",
  ]
}
