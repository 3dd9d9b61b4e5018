bot "b" {
  languages = ["en"]
}

intent "human" {
  examples = ["talk to a person", "agent please", "a real human", "speak to someone", "customer service"]
}

intent "freeze" {
  examples = ["freeze my card", "block my card", "lock the card", "freeze it", "stop my card"]
}

queue "general" {}

connector "core" {
  type = "fixture"
  data = { customers = { C1 = { cards = ["4242"] } } }

  operation "list_cards" {
    input  = { customer_id = string }
    output = { cards = list(string) }
    lookup = "customers"
  }
}

# An object or a list is never equal to text: the policy would never apply.
handoff "asked" {
  when  = intent == "human" # WARNING: Compared with a constant of another type
  queue = queue.general
  reply = "Connecting you."
}

dialog "freeze" {
  trigger = [intent.freeze]

  call "cards" {
    operation = connector.core.list_cards
    input     = { customer_id = customer.id }
  }

  slot "card" {
    type   = text
    prompt = "Which card?"
  }

  outcome "one" {
    when  = call.cards.cards == "4242" # WARNING: Compared with a constant of another type
    reply = "Frozen."
  }

  # Right: a field of the object, and contains for a list.
  outcome "fine" {
    when  = intent.name == "freeze" && contains(call.cards.cards, slot.card) && customer.id != ""
    reply = "Frozen."
  }

  outcome "other" {
    reply = "Other."
  }
}
