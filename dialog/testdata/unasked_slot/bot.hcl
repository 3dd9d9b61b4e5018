# Slots asked only in some cases (required_when): a value the customer gives
# for one in another case is not a question to ask.
bot "movers" {
  languages = ["en"]
}

entity "kind" {
  values = {
    parcel = ["parcel"]
    letter = ["letter"]
  }
}

entity "item" {
  values = {
    sofa = ["sofa"]
    tv   = ["tv"]
  }
}

intent "send" {
  examples = ["send a [parcel](kind)", "post a [letter](kind)", "I want to send something", "posting please"]
}

intent "claim" {
  examples = ["my [sofa](item) was damaged", "damage claim", "something broke in the move"]
}

connector "bookings" {
  type = "fixture"
  data = {
    bookings = {
      MV100001 = { status = "completed", items = ["sofa"] }
      MV200002 = { status = "in_progress", items = ["sofa"] }
    }
  }

  operation "get" {
    input  = { ref = string }
    output = { status = string, items = list(string) }
    lookup = "bookings"
  }
}

dialog "send" {
  trigger = [intent.send]

  slot "kind" {
    type   = kind
    prompt = "Parcel or letter?"
  }

  slot "weight" {
    type          = number
    required_when = slot.kind == "parcel"
    prompt        = "How heavy, in kg?"
    validate      = slot.weight <= 1
    invalid       = "Too heavy. How heavy, in kg?"
  }

  outcome "ok" {
    reply = "Sending a ${slot.kind}."
  }
}

dialog "claim" {
  trigger = [intent.claim]

  slot "ref" {
    type   = text
    prompt = "Booking reference?"
  }

  call "booking" {
    operation = connector.bookings.get
    input     = { ref = slot.ref }
  }

  slot "item" {
    type          = item
    required_when = call.booking.status == "completed"
    prompt        = "Which item?"
    validate      = contains(call.booking.items, slot.item)
    invalid       = "That isn't on the booking. Which item?"
  }

  slot "count" {
    type          = number
    required_when = call.booking.status == "completed"
    prompt        = "How many items?"
    validate      = slot.count <= 5
    invalid       = "At most 5. How many items?"
  }

  outcome "during" {
    when  = call.booking.status == "in_progress"
    reply = "Show the crew leader now."
  }

  outcome "claimed" {
    reply = "Claim for the ${slot.item}."
  }
}
