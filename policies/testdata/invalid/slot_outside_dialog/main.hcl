bot "b" {
  languages = ["en"]
}

queue "general" {}

handoff "h" {
  when  = slot.order_id == "AB123456" # ERROR: Slot outside a dialog
  queue = queue.general
}
