bot "b" {
  languages = ["en"]
}

intent "cancel_order" {
  examples = ["cancel my order", "I want to cancel", "cancel the order please", "stop my order", "please cancel it"]
}

response "ask_order" {
  en = "Which order?"
}

response "cancelled" {
  en = "Cancelled."
}

dialog "cancel_order" {
  trigger = [intent.cancel_order]
  slot "order_id" {
    type   = text
    prompt = response.ask_order
  }
  confirm { # ERROR: Missing prompt
  }
  outcome "done" {
    reply = response.cancelled
  }
}
