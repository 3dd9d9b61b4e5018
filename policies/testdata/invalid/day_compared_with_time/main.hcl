bot "b" {
  languages = ["en"]
}

intent "book" {
  examples = ["book an appointment", "I need to see a doctor", "make a booking", "appointment please", "can I come in"]
}

dialog "book" {
  trigger = [intent.book]

  slot "visit_date" {
    type     = date
    prompt   = "Which day?"
    validate = slot.visit_date != now # WARNING: Day compared with a time
  }

  slot "stay" {
    type     = date_range
    prompt   = "Which days?"
    validate = slot.stay.start == add_days(now, 1) # WARNING: Day compared with a time
  }

  outcome "tomorrow" {
    when  = add_days(slot.visit_date, -1) == timeadd(now, "1h") # WARNING: Day compared with a time
    reply = response.booked
  }

  outcome "other" {
    when  = slot.visit_date == add_days(slot.stay.start, 1)
    reply = response.booked
  }

  outcome "any" {
    reply = response.booked
  }
}

response "booked" {
  en = "Booked%{ if slot.visit_date == now } for today%{ endif }." # WARNING: Day compared with a time
}
