# handoff.* is the handoff a rule with on = handoff decides about, and is
# empty elsewhere: a policy on handoff.agents_online == 0 holds on every
# message. Warnings, so bots that validate today keep validating.

bot "b" {
  languages = ["en"]
}

intent "human" {
  examples = ["talk to a person", "agent please", "I want a human", "real person please", "can I speak to someone"]
}

queue "general" {}

handoff "nobody_online" {
  when  = intent.name == "human" && handoff.agents_online == 0 # WARNING: No handoff here
  queue = queue.general
  reply = "Nobody is online; a colleague will write back."
}

handoff "asked_for_human" {
  when    = intent.name == "human"
  queue   = queue.general
  summary = "Asked for a person (${handoff.reason})" # WARNING: No handoff here
}

rule "vip_message" {
  on    = message
  when  = handoff.queue == "general" # WARNING: No handoff here
  reply = "Hello."
}

# Where a handoff is decided, handoff.* is read without a word.
rule "after_hours" {
  on    = handoff
  when  = handoff.agents_online == 0 && handoff.queue == "general"
  reply = "We're closed (${handoff.reason})."
}
