bot "b" {
  languages = ["en"]
}

queue "front_desk" {}

intent "human" {
  examples = ["talk to a person", "agent please", "a real human", "front desk please", "someone real"]
}

handoff "asked_for_human" {
  when  = intent.name == "human"
  queue = "front_desk" # ERROR: Expected a reference to a queue
}
