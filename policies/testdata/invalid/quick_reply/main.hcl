bot "b" {
  languages = ["en"]
}

intent "order" {
  examples = ["my order", "an order", "order status", "about my order", "the order"]
}

dialog "order" {
  trigger = [intent.order]

  slot "order_id" {
    type   = text
    prompt = "Which order?"
  }
}

quick_reply "greeting" {
  title = "Greeting"
  en    = "Hi ${customer.name}, this is ${agent.nam}." # ERROR: Unknown attribute
  fr    = "Bonjour ${customer.name}."                  # ERROR: Language not spoken by the bot
}

quick_reply "intent" {
  en = "You asked about ${intent.name}." # ERROR: Not available in a quick reply
}

quick_reply "slot" {
  en = "Your order ${slot.order}" # ERROR: Unknown slot
}

quick_reply "empty" { # ERROR: Quick reply has no text
  title = "Nothing"
}

quick_reply "language" {
  english = "Hello" # ERROR: Unknown language
}

quick_reply "object" {
  en = { text = "Hello" } # ERROR: Invalid message
}

quick_reply "greeting" { # ERROR: Duplicate quick_reply
  en = "Hello again"
}
