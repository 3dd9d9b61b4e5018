intent "order" {
  description = "Order something"
  examples = [
    "I want [2](number) [pizzas](dish)",
    "order a [pizza](dish)",
    "can I get [three](number) [burgers](dish)",
    "[Sushi](dish) please",
    "I'd like to order [a burger](dish) for [tomorrow](date)",
    "我要点[披萨](dish)",
  ]
}

intent "human" {
  examples = ["agent", "human please", "talk to a person", "real person", "operator", "转人工"]
}

intent "hours" {
  examples = ["when are you open", "opening hours", "are you open today", "what time do you close", "hours [sic]", "几点开门"]
}

entity "dish" {
  values = {
    pizza  = ["pizzas", "披萨"]
    burger = ["burgers", "a burger"]
    sushi  = []
  }
}

entity "coupon" {
  description = "Coupon codes"
  pattern     = "SAVE[0-9]{2}"
  ignore_case = true
}
