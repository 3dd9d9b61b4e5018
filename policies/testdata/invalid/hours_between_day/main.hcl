bot "b" {
  languages = ["en"]
}

intent "book" {
  examples = ["book tickets", "I want tickets", "tickets please", "buy tickets", "can I book seats"]
}

dialog "book" {
  trigger = [intent.book]

  slot "show_date" {
    type     = date
    prompt   = "Which day?"
    validate = hours_between(now, slot.show_date) >= 0 # WARNING: Hours counted from a day
  }

  slot "stay" {
    type     = date_range
    prompt   = "Which days?"
    validate = hours_between(add_days(slot.stay.start, 1), now) < 48 # WARNING: Hours counted from a day
  }

  outcome "soon" {
    when  = hours_between(now, timeadd(now, "2h")) < 24
    reply = "Soon."
  }

  outcome "other" {
    reply = "Booked."
  }
}
