bot "b" {
  languages = ["en"]
}

rule "r" {
  on    = handof # ERROR: Invalid rule event
  reply = "x"
}

intent "plan" {
  examples = ["payment plan", "pay in installments", "spread my payments", "I need a payment plan", "can I pay over time"]
}

queue "billing" {}

dialog "plan" {
  trigger = [intent.plan]

  slot "amount" {
    type   = money
    prompt = "How much?"
  }

  outcome "done" {
    reply = "Done."
  }
}

# Quoted, the event is one error: the slots the rule reads are not reported
# as outside a dialog.
rule "quoted" {
  on   = "dialog.plan" # ERROR: Invalid rule event
  when = slot.amount < 500

  ticket {
    queue   = queue.billing
    subject = "Plan of ${slot.amount}"
  }
}
