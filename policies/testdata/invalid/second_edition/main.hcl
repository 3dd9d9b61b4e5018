bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["refund", "I want a refund", "money back", "refund please", "give me my money back"]
}

entity "reason" {
  values = { damaged = ["broken"], late = [] }
  labels = {
    damaged = "It arrived damaged"
    lost    = "It got lost" # ERROR: Label for an unknown value
  }
}

queue "general" {}

locals {
  a = local.b + 1 # ERROR: Local reads itself
  b = local.a
  c = local.d # ERROR: Unknown local
}

response "ask_reason" {
  en            = "Why? ${label("reasons", slot.reason)}" # ERROR: Unknown labels
  value_buttons = reasons                                 # ERROR: Unknown entity

  button "yes" { # ERROR: Button values on yes or no
    en    = "Yes"
    slots = { reason = slot.reason }
  }

  case { # ERROR: Case without when
    en = "Why, again?"
  }
}

dialog "refund" {
  trigger   = [intent.refund]
  interrupt = "maybe"          # ERROR: Invalid interrupt setting
  title     = { english = "x" } # ERROR: Unknown language

  slot "reason" {
    type         = reason
    prompt       = response.ask_reason
    reuse_prompt = "Same as before?" # ERROR: Nothing to reuse
  }

  slot "note" {
    type    = text
    prompt  = "Anything else?"
    default = memory.last_note # ERROR: Unknown memory value
  }

  outcome "done" {
    reply          = [response.ask_reason, "Thanks"] # ERROR: Mixed reply list
    offer_continue = true                            # ERROR: offer_continue outside on_exhausted
  }

  outcome "other" {
    handoff = slot.reason == "damaged" ? queue.general : queue.generl # ERROR: Unknown queue
  }
}
