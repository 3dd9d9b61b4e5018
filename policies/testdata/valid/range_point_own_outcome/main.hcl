bot "b" {
  languages = ["en"]
}

intent "deposit" {
  examples = ["deposit", "my deposit", "deposit back", "where is my deposit", "refund my deposit"]
}

variable "auto_limit" {
  value = 50
}

connector "fleet" {
  type = "fixture"
  data = {}

  operation "get_booking" {
    input  = { ref = string }
    output = { returned = bool, deposit = number }
    lookup = "bookings"
  }
}

# The value between the two ranges has an outcome of its own: no warning.
dialog "deposit" {
  trigger = [intent.deposit]

  slot "ref" {
    type   = text
    prompt = "Booking?"
  }

  call "booking" {
    operation = connector.fleet.get_booking
    input     = { ref = slot.ref }
  }

  slot "withheld" {
    type          = money
    required_when = call.booking.returned
    prompt        = "How much was withheld?"
  }

  outcome "exactly_the_limit" {
    when  = slot.withheld == var.auto_limit
    reply = "A colleague will review it."
  }

  outcome "not_returned" {
    reply = "The deposit is released once the car is back."
  }
}

rule "auto" {
  on    = dialog.deposit
  when  = slot.withheld < var.auto_limit
  reply = "Refunded."
}

rule "review" {
  on    = dialog.deposit
  when  = slot.withheld > var.auto_limit
  reply = "A colleague will review it."
}
