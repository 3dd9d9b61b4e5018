# A local is evaluated where it is read: one that reads a dialog's call or
# slot is unknown outside that dialog, so a condition on it there is always
# false. Read directly, such a call is an error; through a local, a warning.

bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["refund please", "I want a refund", "money back", "refund my invoice", "can I get a refund"]
}

queue "general" {}

entity "invoice_id" {
  pattern = "INV-[0-9]{6}"
}

connector "billing" {
  type = "fixture"
  data = {}

  operation "get_invoice" {
    input   = { invoice_id = string }
    output  = { date = string, total = number }
    respond = { date = "2026-11-01", total = 20 }
  }
}

locals {
  invoice_age = days_between(call.invoice.date, now)
  old_invoice = local.invoice_age > 30
  big         = slot.amount > 500
}

dialog "refund" {
  trigger = [intent.refund]

  slot "invoice_id" {
    type   = invoice_id
    prompt = "Invoice number?"
  }

  slot "amount" {
    type   = money
    prompt = "How much?"
  }

  call "invoice" {
    operation = connector.billing.get_invoice
    input     = { invoice_id = slot.invoice_id }
  }

  outcome "old" {
    when  = local.old_invoice || local.big
    reply = "That needs a colleague (${local.invoice_age} days)."
  }

  outcome "done" {
    reply = "Refunded."
  }
}

handoff "old_invoice" {
  when  = local.old_invoice # WARNING: Local has no value here
  queue = queue.general
}

rule "big_refund_message" {
  on    = message
  when  = local.big && intent.name == "refund" # WARNING: Local has no value here
  reply = "Big refunds take a week."
}
