bot "b" {
  languages = ["en"]
}

queue "general" {}

queue "emergency" {}

intent "human" {
  examples = ["talk to a person", "agent please", "a real human", "front desk please", "someone real"]
}

response "after_hours" {
  en = "We're closed; we'll call you back."
}

handoff "asked_for_human" {
  when  = intent.name == "human"
  queue = queue.general
}

rule "after_hours" {
  on    = handoff
  when  = handoff.queue != queue.emergency # ERROR: A block is not a value
  reply = response.after_hours
}

rule "repeat" {
  on    = message
  when  = conversation.last_response == response.after_hours # ERROR: A block is not a value
  reply = "We'll call you back soon."
}
