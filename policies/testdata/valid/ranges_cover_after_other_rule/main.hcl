bot "b" {
  languages = ["en"]
}

intent "dispute" {
  examples = ["dispute a payment", "a payment I don't recognise", "I didn't make this payment", "unknown charge", "wrong charge"]
}

variable "auto_limit" {
  value = 100
}

variable "supervisor_limit" {
  value = 1000
}

queue "disputes" {}

# A rule on something else comes first, then ranges of an amount always
# asked cover every value: the dialog never finishes without a word, and no
# catch-all outcome is asked for (one would never apply).
dialog "dispute" {
  trigger = [intent.dispute]

  slot "amount" {
    type   = money
    prompt = "How much was it?"
  }
}

rule "already_credited" {
  on    = dialog.dispute
  when  = coalesce(memory.last_credit, "") == "credited"
  reply = "That payment was already credited."
}

rule "small" {
  on       = dialog.dispute
  when     = slot.amount < var.auto_limit
  remember = { last_credit = "credited" }
  reply    = "Credited."
}

rule "review" {
  on    = dialog.dispute
  when  = slot.amount >= var.auto_limit && slot.amount < var.supervisor_limit
  reply = "Our disputes team will review it."
}

rule "supervisor" {
  on   = dialog.dispute
  when = slot.amount >= var.supervisor_limit
  ticket {
    queue   = queue.disputes
    subject = "Large dispute"
  }
  reply = "A supervisor will review it."
}
