# A slot's invalid message is also said for an answer with no value of the
# slot's type ("whenever" to "What time?"), where the call that checks the
# value has no result: reading it there fails. A case that asks about the
# call, or a call that ran before the slot was asked, is fine.

bot "b" {
  languages = ["en"]
}

intent "book" {
  examples = ["book an appointment", "I need an appointment", "can I see a vet", "make a booking", "appointment please"]
}

intent "book_vip" {
  examples = ["book a vip appointment", "vip booking please", "priority appointment", "book me in as a member", "members' booking"]
}

intent "book_gold" {
  examples = ["book by pet", "which day can my pet come", "first day for my pet", "book for my parrot", "when can my rabbit come in"]
}

connector "clinic" {
  type = "plain"

  operation "availability" {
    input  = { date = string }
    output = { available = bool, next_free = string }
  }

  operation "opening" {
    input  = { pet = string }
    output = { first_day = string }
  }
}

response "day_full" {
  en = "Sorry, ${slot.day} is full; ${call.availability.next_free} is free." # WARNING: Invalid message reads the call that checks the value
}

response "day_full_guarded" {
  en = "Sorry, I need a day such as tomorrow or 3 December."

  case {
    when = call.availability.available == false
    en   = "Sorry, ${slot.day} is full; ${call.availability.next_free} is free."
  }
}

dialog "book" {
  trigger = [intent.book]

  slot "pet" {
    type   = text
    prompt = "Which pet?"
  }

  slot "day" {
    type     = date
    prompt   = "Which day?"
    validate = call.availability.available
    invalid  = response.day_full
  }

  call "availability" {
    operation = connector.clinic.availability
    input     = { date = slot.day }
  }

  outcome "booked" {
    reply = "Booked."
  }
}

dialog "book_inline" {
  trigger = [intent.book_vip]

  slot "day" {
    type     = date
    prompt   = "Which day?"
    validate = call.availability.available
    invalid  = "Full; try ${call.availability.next_free}." # WARNING: Invalid message reads the call that checks the value
  }

  call "availability" {
    operation = connector.clinic.availability
    input     = { date = slot.day }
  }

  outcome "booked" {
    reply = "Booked."
  }
}

dialog "book_guarded" {
  trigger = [intent.book_gold]

  slot "pet" {
    type   = text
    prompt = "Which pet?"
  }

  call "opening" {
    operation = connector.clinic.opening
    input     = { pet = slot.pet }
  }

  slot "day" {
    type     = date
    prompt   = "Which day?"
    validate = call.availability.available
    invalid  = "We open for that pet on ${call.opening.first_day}; which day?"
  }

  call "availability" {
    operation = connector.clinic.availability
    input     = { date = slot.day }
  }

  slot "again" {
    type    = date
    prompt  = "Another day?"
    invalid = response.day_full_guarded
  }

  outcome "booked" {
    reply = "Booked."
  }
}
