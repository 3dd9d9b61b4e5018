bot "b" {
  languages = ["en"]
}

connector "orders" {
  type = "fixtur" # ERROR: Unknown connector type
}
