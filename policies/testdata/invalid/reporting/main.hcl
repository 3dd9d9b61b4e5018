bot "b" {
  languages = ["en"]

  survey {
    after_bot = 1.5 # ERROR: Invalid survey rate
  }
}

intent "refund" {
  examples = ["refund please", "I want my money back", "refund my order", "give me a refund", "can I get a refund"]
}

dialog "refund" {
  trigger = [intent.refund]

  slot "amount" {
    type   = money
    prompt = "How much?"
  }

  outcome "done" {
    resolves = "yes"         # ERROR: Incorrect value type
    amount   = "lots"        # ERROR: Amount is not a number
    reply    = "Refunded."
  }
}

rule "small" {
  on     = dialog.refund
  amount = slot.missing # ERROR: Unknown slot
  reply  = "Small refund done."
}

report "daily" {
  schedule   = "every day at 7" # ERROR: Invalid schedule
  format     = "docx"           # ERROR: Invalid report format
  recipients = ["not an address"] # ERROR: Invalid email address
  by         = ["colour"]         # ERROR: Invalid report dimension
}

report "weekly" {
  schedule   = "weekly funday 08:30" # ERROR: Invalid schedule
  recipients = [] # ERROR: No recipients
}
