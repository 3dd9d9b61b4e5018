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

intent "refund_deposit" {
  examples = ["refund the deposit", "deposit refund please", "I want my deposit back", "return my deposit", "押金退款"]
}

locals {
  refunded = call.lookup.status == "refunded"
  big      = call.lookup.deposit > 5000
}

connector "deposits" {
  type = "fixture"
  data = {}

  operation "get" {
    input  = { ref = string }
    output = { status = string, deposit = number }
    lookup = "deposits"
  }
}

# A rule on something else (already refunded) above the amount's ranges
# leaves the value between them to the catch-all all the same.
dialog "refund_deposit" { # WARNING: Value between two ranges
  trigger = [intent.refund_deposit]

  slot "ref" {
    type   = text
    prompt = "Booking?"
  }

  call "lookup" {
    operation = connector.deposits.get
    input     = { ref = slot.ref }
  }

  outcome "unknown" {
    reply = "A colleague will look into it."
  }
}

rule "already_refunded" {
  on    = dialog.refund_deposit
  when  = local.refunded
  reply = "Already refunded."
}

rule "small" {
  on    = dialog.refund_deposit
  when  = call.lookup.deposit < 300
  reply = "Refunded."
}

rule "large" {
  on    = dialog.refund_deposit
  when  = call.lookup.deposit > 300
  reply = "Reviewed."
}

# A rule whose condition reads the number through a local decides part of
# the ranges itself: no warning.
intent "vip_deposit" {
  examples = ["vip deposit", "my vip deposit refund", "deposit for a member", "member deposit back", "会员押金"]
}

dialog "refund_deposit_vip" {
  trigger = [intent.vip_deposit]

  slot "ref" {
    type   = text
    prompt = "Booking?"
  }

  call "lookup" {
    operation = connector.deposits.get
    input     = { ref = slot.ref }
  }

  outcome "unknown" {
    reply = "A colleague will look into it."
  }
}

rule "vip_big" {
  on    = dialog.refund_deposit_vip
  when  = local.big
  reply = "A supervisor will call you."
}

rule "vip_small" {
  on    = dialog.refund_deposit_vip
  when  = call.lookup.deposit < 300
  reply = "Refunded."
}

rule "vip_large" {
  on    = dialog.refund_deposit_vip
  when  = call.lookup.deposit > 300
  reply = "Reviewed."
}
