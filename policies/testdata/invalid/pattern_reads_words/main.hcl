# Found by a stranger's airline bot: a booking reference of six letters or
# digits, with ignore_case, took "refund" and "flight" as references, and
# flight numbers too.

bot "b" {
  languages = ["en"]
}

entity "booking_ref" { # WARNING: Pattern matches ordinary words
  pattern     = "[A-Z0-9]{6}"
  ignore_case = true
}

entity "flight_number" {
  pattern     = "SK[0-9]{2,4}"
  ignore_case = true
}

# Strict enough: needs digits where words have none.
entity "order_id" {
  pattern     = "[A-Z]{2}[0-9]{6}"
  ignore_case = true
}

# Meant for words: a pattern that takes no digits gets no warning.
entity "speed" {
  pattern     = "express|standard"
  ignore_case = true
}

intent "refund" {
  examples = [
    "I want a refund",
    "refund booking [K7QX2B](booking_ref)",
    "money back for [AB123456](order_id)",
    "can I get my money back",
    "cancel and pay me back",
    "refund the express delivery fee",
  ]
}

intent "flight_status" {
  examples = [
    "is my flight on time",
    "status of [SK1234](flight_number)", # WARNING: Value read as another entity
    "has it been delayed",
    "when does [SK88](flight_number) leave",
    "departure time please",
  ]
}
