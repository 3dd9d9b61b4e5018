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
