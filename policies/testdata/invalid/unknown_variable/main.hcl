bot "b" {
  languages = ["en"]
}

variable "limit" {
  value = 500
}

handoff "big" {
  when  = conversation.turns > var.limt # ERROR: Unknown variable
  queue = queue.general
}

queue "general" {}
