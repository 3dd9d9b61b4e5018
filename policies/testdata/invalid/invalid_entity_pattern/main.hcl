bot "b" {
  languages = ["en"]
}

entity "order_id" {
  pattern = "[A-Z{2" # ERROR: Invalid regular expression
}
