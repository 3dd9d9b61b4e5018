# A date slot next to a knowledge base: a wrong kind of value typed as the
# answer is a failed attempt, not a knowledge question.
bot "t" {
  languages = ["en"]
}

intent "repair" {
  examples = ["repair my laptop"]
}

dialog "repair" {
  trigger = [intent.repair]

  slot "bought_on" {
    type    = date
    prompt  = "When did you buy it?"
    invalid = "I need a day, such as 15 March 2026. When did you buy it?"
  }

  outcome "booked" {
    reply = "Booked."
  }
}
