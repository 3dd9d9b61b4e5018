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

# A car-rental bot refunded deductions < 50 and reviewed those > 50: at
# exactly 50 the outcome meant for cars not yet returned answered.
dialog "deposit" { # WARNING: Value between two ranges
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
