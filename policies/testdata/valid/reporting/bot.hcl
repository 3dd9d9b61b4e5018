bot "b" {
  languages = ["en"]

  business_hours {
    time_zone = "Europe/London"
    weekdays  = "09:00-17:00"
  }

  survey {
    after_bot = 0.25
  }
}

intent "refund" {
  examples = ["refund please", "I want my money back", "refund my order", "give me a refund", "can I get a refund"]
}

intent "hello" {
  examples = ["hello", "hi", "good morning", "hi there", "hey"]
}

# A greeting resolves nothing: no survey after it, not counted as resolved.
answer "hello" {
  intent   = intent.hello
  reply    = "Hi! How can I help?"
  resolves = false
}

dialog "refund" {
  trigger = [intent.refund]

  slot "amount" {
    type   = money
    prompt = "How much?"
  }

  outcome "too_much" {
    when     = slot.amount > 1000
    resolves = false
    reply    = "That is too much for me."
  }

  outcome "done" {
    amount = slot.amount
    reply  = "Refunded."
  }
}

rule "small" {
  on       = dialog.refund
  when     = slot.amount < 10
  resolves = true
  amount   = slot.amount * 1.0
  reply    = "Small refund done."
}

report "daily" {
  schedule   = "daily 07:00"
  recipients = ["lead@example.com"]
}

report "weekly" {
  schedule   = "weekly monday 08:30"
  format     = "pdf"
  recipients = ["lead@example.com", "Ops <ops@example.com>"]
  by         = ["channel", "policy_version"]
}
