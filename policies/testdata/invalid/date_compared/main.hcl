bot "b" {
  languages = ["en"]
}

intent "visit" {
  examples = ["book a technician", "send an engineer", "I need a repair visit", "technician please", "home visit"]
}

dialog "visit" {
  trigger = [intent.visit]

  slot "visit_date" {
    type     = date
    prompt   = "Which day?"
    validate = slot.visit_date > now # ERROR: Dates compared as numbers
  }

  slot "away" {
    type     = date_range
    prompt   = "When are you away?"
    validate = slot.away.start >= add_days(now, 1) # ERROR: Dates compared as numbers
  }

  slot "move_in" {
    type     = date
    prompt   = "When do you move in?"
    validate = slot.move_in < formatdate("YYYY-MM-DD", now) # ERROR: Dates compared as numbers
  }

  slot "floor" {
    type     = number
    prompt   = "Which floor?"
    validate = slot.floor < 100
  }

  outcome "booked" {
    reply = "Booked."
  }
}
