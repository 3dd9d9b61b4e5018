bot "b" {
  languages = ["en"]
}

queue "general" {}

handoff "always" {
  when  = intent.name == "human"
  queue = queue.genral # ERROR: Unknown queue
}
