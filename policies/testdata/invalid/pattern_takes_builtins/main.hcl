# Found by a stranger's card-services bot: the last four digits of a card,
# a pattern of bare digits, took "5000" out of "5000 元" and "2026" out of
# "2026-11-20", so the dispute's amount and date were lost.

bot "b" {
  languages = ["en", "zh"]
}

entity "card_last4" { # WARNING: Pattern takes the digits of an amount
  pattern = "[0-9]{4}"
}

# A six-digit pickup code is told to check for six digits, not four.
entity "pickup_code" { # WARNING: Pattern takes the digits of an amount
  pattern = "[0-9]{6}"
}

entity "model_year" { # WARNING: Pattern takes the digits of a date
  pattern = "20[0-9]{2}"
}

# A prefix that amounts and dates lack: nothing is said about it.
entity "order_id" {
  pattern     = "[A-Z]{2}[0-9]{6}"
  ignore_case = true
}

intent "dispute" {
  examples = [
    "dispute a charge on card [1234](card_last4)",
    "I was charged [300 yuan](money) for nothing",
    "信用卡被盗刷了[2000元](money)", # WARNING: Value read as another entity
    "the charge on [2026-11-20](date) is not mine", # WARNING: Value read as another entity
    "order [AB123456](order_id) was charged twice",
  ]
}

dialog "dispute" {
  trigger = [intent.dispute]

  slot "card_last4" {
    type   = card_last4
    prompt = "Which card?"
  }

  slot "amount" {
    type   = money
    prompt = "How much?"
  }

  slot "date" {
    type   = date
    prompt = "When?"
  }

  outcome "done" {
    reply = "Done."
  }
}
