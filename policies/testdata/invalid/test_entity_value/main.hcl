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
