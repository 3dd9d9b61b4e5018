# Handoff policies are checked top to bottom, the first that matches hands
# off: one whose conditions include all of an earlier one's never applies.
# Across files, the file whose name sorts first is above (vip.hcl below).

bot "b" {
  languages = ["en"]
}

intent "human" {
  examples = ["talk to a person", "agent please", "I want a human", "real person please", "can I speak to someone"]
}

queue "general" {}

queue "vip" {}

handoff "first_angry" {
  when  = sentiment < -0.8
  queue = queue.general
  once  = true # once it has handed off, the ones below may apply
}

handoff "asked_for_human" {
  when  = intent.name == "human"
  queue = queue.general
}

handoff "angry_human" { # WARNING: Never applies
  when  = (sentiment < -0.8) && intent.name == "human"
  queue = queue.general
}

handoff "angry" {
  when  = sentiment < -0.5 && conversation.turns > 2
  queue = queue.general
}
