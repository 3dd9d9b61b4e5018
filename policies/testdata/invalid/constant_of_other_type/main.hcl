bot "b" {
  languages = ["en"]
}

intent "stock" {
  examples = ["is it in stock", "do you have it", "in stock?", "check stock", "available?"]
}

connector "pharmacy" {
  type = "fixture"
  data = { stock = { ibuprofen = { in_stock = true, quantity = 3, status = "ok" } } }

  operation "check_stock" {
    input  = { medicine = string }
    output = { in_stock = bool, quantity = number, status = string }
    lookup = "stock"
  }
}

dialog "stock" {
  trigger = [intent.stock]

  slot "medicine" {
    type   = text
    prompt = "Which medicine?"
  }

  slot "answer" {
    type     = yes_no
    optional = true
  }

  call "stock" {
    operation = connector.pharmacy.check_stock
    input     = { medicine = slot.medicine }
  }

  # Values of different types are never equal: always false at run time.
  outcome "in_stock" {
    when  = call.stock.in_stock == "true" # WARNING: Compared with a constant of another type
    reply = "In stock."
  }

  outcome "three" {
    when  = call.stock.quantity != "3" # WARNING: Compared with a constant of another type
    reply = "Not three."
  }

  outcome "status" {
    when  = call.stock.status == 200 # WARNING: Compared with a constant of another type
    reply = "Status."
  }

  # Right: the same types, null, and a yes_no slot's text.
  outcome "fine" {
    when  = call.stock.in_stock == true && call.stock.quantity == 3 && call.stock.status != null && slot.answer == "yes"
    reply = "Fine."
  }

  outcome "other" {
    reply = "Other."
  }
}
