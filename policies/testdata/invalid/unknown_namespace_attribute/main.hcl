bot "b" {
  languages = ["en"]
}

queue "general" {}

handoff "unsure" {
  when  = intent.confidance < 0.2 # ERROR: Unknown attribute
  queue = queue.general
}
