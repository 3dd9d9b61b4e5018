bot "b" {
  languages = ["zh", "en"]
}

intent "stock" {
  examples = ["[布洛芬](medicine)有货吗", "do you have [advil](medicine)", "有没有货", "in stock?", "check stock"]
}

entity "medicine" {
  values = {
    ibuprofen   = ["advil", "布洛芬"]
    paracetamol = ["tylenol", "扑热息痛"]
  }
}

# The NLU gives a list entity's canonical value, never the synonym typed.
test "expects the synonym" {
  turn {
    user     = "布洛芬有货吗"
    entities = { medicine = "布洛芬" } # WARNING: Not a value of the entity
  }

  turn {
    user     = "advil or tylenol?"
    entities = { medicine = ["ibuprofen", "tylenol"] } # WARNING: Not a value of the entity
  }

  turn {
    user     = "扑热息痛有吗"
    entities = { medicine = "paracetamol" }
  }
}

dialog "stock" {
  trigger = [intent.stock]

  slot "drug" {
    type   = medicine
    prompt = "Which medicine?"
  }

  outcome "done" {
    reply = "Checking."
  }
}

# A slot of a list entity holds the canonical value too.
test "expects the synonym in a slot" {
  turn {
    user  = "布洛芬有货吗"
    slots = { drug = "布洛芬" } # WARNING: Not a value of the entity
  }

  turn {
    user  = "do you have tylenol"
    slots = { drug = "paracetamol" }
  }
}

# An ignore_case pattern stores what it matches upper-cased.
entity "booking_ref" {
  pattern     = "RB[0-9]{6}"
  ignore_case = true
}

intent "booking" {
  examples = ["my booking [RB123456](booking_ref)", "booking please", "find my booking", "look up a booking", "预订查询"]
}

dialog "booking" {
  trigger = [intent.booking]

  slot "ref" {
    type   = booking_ref
    prompt = "Which booking?"
  }

  outcome "done" {
    reply = "Found it."
  }
}

test "expects the value as typed" {
  turn {
    user     = "my booking rb123456"
    entities = { booking_ref = "rb123456" } # WARNING: Not a value of the entity
  }

  turn {
    user     = "rb654321"
    entities = { booking_ref = "RB654321" }
    slots    = { ref = "rb654321" } # WARNING: Not a value of the entity
  }
}
