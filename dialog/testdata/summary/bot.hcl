# The handoff summary: a refund confirmed with a button goes to a supervisor.
bot "summary" {
  languages = ["en"]
}

intent "refund" {
  examples = ["I want a refund", "refund my order", "give me my money back", "refund please", "I'd like a refund"]
}

intent "track_order" {
  examples = ["where is my order", "track my order", "order status", "where is my parcel", "track parcel"]
}

entity "order_id" {
  pattern = "[A-Z]{2}[0-9]{6}"
}

queue "supervisors" {
  skill    = "refund_approval"
  priority = "high"
}

response "confirm_refund" {
  en = "Refund order ${slot.order_id}?"

  button "yes" {
    en = "Yes, refund it"
  }
  button "no" {
    en = "No"
  }
}

dialog "refund" {
  trigger = [intent.refund]

  slot "order_id" {
    type   = order_id
    prompt = "Which order?"
  }

  confirm {
    prompt = response.confirm_refund
  }

  outcome "review" {
    reply   = "A supervisor will look at it now."
    handoff = queue.supervisors
  }
}
