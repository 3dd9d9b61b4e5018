bot "b" {
  languages = ["en"]
}

intent "greet" {
  examples = ["hi", "hello", "good morning", "hey there", "hi again"]
}

intent "track_order" {
  examples = ["where is my order", "track my parcel", "has my order shipped", "order status", "when will it arrive"]
}

intent "human" {
  examples = ["talk to a person", "agent please", "a real person", "can I speak to someone", "human please"]
}

intent "complaint" {
  examples = ["I want to complain", "this is unacceptable", "file a complaint", "I'm not happy", "poor service"]
}

intent "refund" {
  examples = ["I want a refund", "money back please", "refund my order", "give me my money back", "refund please"]
}

# Written down, its answer forgotten: recognised, then "not understood".
intent "proof" { # WARNING: Intent nothing acts on
  examples = ["approve my proof", "the proof looks good", "change my proof", "there's a typo on the proof", "proof is fine, print it"]
}

answer "greet" {
  intent   = intent.greet
  reply    = "Hi! How can I help?"
  resolves = false
}

dialog "track_order" {
  trigger = [intent.track_order]

  outcome "done" {
    reply = "It's on its way."
  }
}

queue "general" {}

handoff "asked_for_human" {
  when  = intent.name == "human"
  queue = queue.general
  reply = "Connecting you now."
}

rule "complaints" {
  on    = message
  when  = lookup({ complaint = true }, intent.name, false)
  reply = "Sorry to hear that. A colleague will read this."
}

triage "refunds" {
  intents = [intent.refund]
  queue   = queue.general
}
