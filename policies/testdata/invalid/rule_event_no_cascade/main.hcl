bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["double charge", "charged twice", "refund the duplicate", "I paid two times", "money taken twice"]
}

queue "billing" {}

dialog "refund" {
  trigger = [intent.refund]

  slot "amount" {
    type   = money
    prompt = "How much?"
  }
}

# The quoted on is the one error: the range it was meant to cover is not
# also reported as a gap, nor the dialog as finishing without a word.
rule "small" {
  on    = "dialog.refund" # ERROR: Invalid rule event
  when  = slot.amount < 200
  reply = "Refunded."
}

rule "large" {
  on   = dialog.refund
  when = slot.amount >= 200

  ticket {
    queue   = queue.billing
    subject = "Refund of ${slot.amount}"
  }
  reply = "A colleague will check it."
}

# A misspelt dialog is one error too.
intent "freeze" {
  examples = ["freeze my membership", "pause my membership", "put my card on hold", "suspend my membership", "hold my plan"]
}

dialog "freeze" {
  trigger = [intent.freeze]

  slot "weeks" {
    type   = number
    prompt = "How many weeks?"
  }
}

rule "freeze_short" {
  on    = dialog.freze # ERROR: Unknown dialog
  when  = slot.weeks <= 4
  reply = "Frozen."
}

rule "freeze_long" {
  on    = dialog.freeze
  when  = slot.weeks > 4
  reply = "Frozen for long."
}
