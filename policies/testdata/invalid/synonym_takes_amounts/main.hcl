# Found by a stranger's electronics shop: "256" as a synonym of 256GB took
# "512" out of "512 yuan", so the price-match amount was lost.

bot "b" {
  languages = ["en"]
}

entity "storage" { # WARNING: Synonym takes the digits of an amount
  values = {
    gb256 = ["256GB", "256g", "256"]
    gb512 = ["512GB", "512"]
  }
}

# Synonyms with a unit: nothing is said about them.
entity "screen" {
  values = {
    small = ["13 inch", "13寸"]
  }
}

intent "price_match" {
  examples = ["price match please", "I found it cheaper"]
}

dialog "price_match" {
  trigger = [intent.price_match]

  slot "storage" {
    type   = storage
    prompt = "Which storage size?"
  }

  slot "price" {
    type   = money
    prompt = "What price did you see?"
  }

  outcome "done" {
    reply = "Done."
  }
}
