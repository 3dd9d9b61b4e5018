bot "b" {
  languages = ["en"]
}

intent "dispute" {
  examples = ["dispute a payment", "a payment I don't recognise", "I didn't make this payment", "unknown charge", "wrong charge"]
}

# A condition on something else, then the default, and no ranges at all:
# there is no number to find a gap in (this once crashed validate).
dialog "dispute" {
  trigger = [intent.dispute]

  slot "amount" {
    type   = money
    prompt = "How much was it?"
  }
}

locals {
  repeat_dispute = memory.last_dispute == "pending"
}

rule "repeat" {
  on    = dialog.dispute
  when  = local.repeat_dispute
  reply = "Your earlier dispute is still open; our team will review both."
}

rule "review" {
  on       = dialog.dispute
  remember = { last_dispute = "pending" }
  reply    = "Our disputes team will review it."
}
