bot "b" {
  languages = ["en"]
}

intent "human" {
  examples = ["agent", "a person please", "human", "talk to someone", "real person"]
}

queue "general" {}

# The queue written the way a rule's action names it: one error, on its line,
# not also "queue" missing from the policy.
handoff "asked_for_human" {
  when    = intent.name == "human"
  handoff = queue.general # ERROR: Unsupported argument
  reply   = "Connecting you now."
}
