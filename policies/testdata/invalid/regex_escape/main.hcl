bot "b" {
  languages = ["zh"]
}

entity "order_id" {
  pattern = "DD\d{11}" # ERROR: Invalid escape sequence
}
