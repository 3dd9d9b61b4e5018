bot "b" {
  languages = ["en"]
}

rule "r" {
  on    = message
  reask = slot.order_id # ERROR: Reask outside a dialog
}
