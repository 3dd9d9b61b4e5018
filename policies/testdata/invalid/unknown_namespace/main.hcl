bot "b" {
  languages = ["en"]
}

handoff "angry" {
  when  = sentimnt < -0.5 # ERROR: Unknown namespace
  queue = queue.general
}

queue "general" {}
