# A slot whose value a system checks: the invalid message reads what the
# system said about the refused value.
bot "clinic" {
  languages = ["en"]
}

connector "his" {
  type = "fixture"
  data = {
    days = {
      "2026-11-26" = { available = false, next_free = "2026-11-27" }
      "2026-11-27" = { available = true, next_free = "2026-11-27" }
      "2026-11-28" = { available = true, next_free = "2026-11-28" }
    }
  }

  operation "availability" {
    input  = { date = string }
    output = { available = bool, next_free = string }
    lookup = "days"
  }

  operation "fee" {
    input   = { date = string }
    output  = { amount = number }
    respond = { amount = 30 }
  }
}

dialog "book" {
  trigger = [intent.book]

  slot "day" {
    type     = date
    prompt   = "Which day?"
    validate = call.availability.available
    invalid  = response.day_full
  }

  call "availability" {
    operation = connector.his.availability
    input     = { date = slot.day }
  }

  call "fee" {
    operation = connector.his.fee
    input     = { date = slot.day }
  }

  confirm {
    prompt = "Book ${slot.day} for ${call.fee.amount}?"
  }

  outcome "booked" {
    reply = "Booked for ${slot.day}."
  }
}

intent "book" {
  examples = ["book an appointment", "I need an appointment", "can I see a doctor", "make a booking", "appointment please"]
}

# The invalid message is said for an answer with no date too, where the
# availability call has no result: what reads the call goes in cases.
response "day_full" {
  en = "Which day? For example 27 November."

  case {
    when = call.availability.next_free != null
    en   = "${slot.day} is fully booked; ${call.availability.next_free} is free. Which day?"
  }

  case {
    when = call.availability.error != ""
    en   = "${slot.day} is fully booked. Which day?"
  }
}

# The same slot with an invalid message that reads the call outside a case
# (parley validate warns): for an answer with no date it can't be said.
dialog "visit" {
  trigger = [intent.visit]

  slot "day" {
    type     = date
    prompt   = "Which day would you like to visit?"
    validate = call.availability.available
    invalid  = "${slot.day} is fully booked; ${call.availability.next_free} is free. Which day?"
  }

  call "availability" {
    operation = connector.his.availability
    input     = { date = slot.day }
  }

  outcome "booked" {
    reply = "Visit booked for ${slot.day}."
  }
}

intent "visit" {
  examples = ["visit the ward", "I want to visit a patient", "visiting hours booking", "book a visit", "can I come and visit"]
}
