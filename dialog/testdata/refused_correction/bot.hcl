# A correction its validate refuses leaves the slot as it was, and the bot
# waits for it: the same value given again is the answer.
bot "visits" {
  languages = ["en"]
}

intent "book" {
  examples = ["book a visit", "I want to visit", "can I come in", "make a booking", "visit please"]
}

dialog "book" {
  trigger = [intent.book]

  slot "day" {
    type     = date
    prompt   = "Which day?"
    validate = weekday(slot.day) != "Saturday" && weekday(slot.day) != "Sunday"
    invalid  = "We're closed at weekends. Which day?"
  }

  confirm {
    prompt = "Book ${slot.day}?"
  }

  outcome "booked" {
    reply = "Booked for ${slot.day}."
  }
}
