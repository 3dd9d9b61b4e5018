# A test's expected slot value "" means the slot is empty, as null does, also
# for a slot of a list entity, whose values never include "".
bot "b" {
  languages = ["en"]
}

intent "stock" {
  examples = ["do you have [advil](medicine)", "in stock?", "check stock", "is it available", "got any"]
}

entity "medicine" {
  values = {
    ibuprofen   = ["advil"]
    paracetamol = ["tylenol"]
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

test "asks for the medicine" {
  turn {
    user  = "in stock?"
    slots = { drug = "" }
  }

  turn {
    user  = "advil"
    slots = { drug = "ibuprofen" }
  }
}
