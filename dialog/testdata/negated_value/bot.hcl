# A booking confirmed with its day and party size: "not Wednesday" at the
# confirmation names a day the customer does not want.
bot "book" {
  languages = ["en", "zh"]
}

intent "book" {
  examples = ["book a table", "I want to book", "reserve a table", "订位", "我要订座"]
}

dialog "book" {
  trigger = [intent.book]

  slot "day" {
    type   = date
    prompt = { en = "Which day?", zh = "哪天？" }
  }

  slot "people" {
    type   = number
    prompt = { en = "How many?", zh = "几位？" }
  }

  confirm {
    prompt = { en = "Book ${slot.day} for ${slot.people}?", zh = "订 ${slot.day}，${slot.people} 位？" }
  }

  outcome "done" {
    reply = "Booked."
  }
}
