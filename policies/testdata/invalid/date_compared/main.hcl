bot "b" {
  languages = ["en"]
}

variable "window" {
  value = 21
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

  slot "callback" {
    type     = date
    prompt   = "When shall we call?"
    validate = slot.callback <= add_days(now, var.window) # ERROR: Dates compared as numbers
  }

  slot "pickup" {
    type     = date
    prompt   = "When shall we pick it up?"
    validate = add_days(now, 21) >= slot.pickup # ERROR: Dates compared as numbers
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
