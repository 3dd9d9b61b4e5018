bot "b" {
  languages = ["en"]
}

intent "cancel" {
  examples = ["cancel my appointment", "I can't come", "cancel the booking", "drop my visit", "call it off"]
}

connector "clinic" {
  type = "fixture"

  operation "booking" {
    input   = { patient = string }
    output  = { starts_at = string }
    respond = { starts_at = "2026-11-24T10:00:00+08:00" }
  }
}

dialog "cancel" {
  trigger = [intent.cancel]

  slot "patient" {
    type   = text
    prompt = "Your patient number?"
  }

  slot "hour" {
    type     = time # ERROR: Unknown slot type
    prompt   = "What time?"
    optional = true
  }

  call "booking" {
    operation = connector.clinic.booking
    input     = { patient = slot.patient }
  }

  outcome "late" {
    when  = call.booking.starts_at < timeadd(now, "24h") # ERROR: Dates compared as numbers
    reply = "There is a fee."
  }

  outcome "early" {
    when  = timeadd(now, "90m") <= call.booking.starts_at # ERROR: Dates compared as numbers
    reply = "Free."
  }

  outcome "other" {
    when  = call.booking.starts_at > timeadd(now, var.window) # ERROR: Dates compared as numbers
    reply = "Other."
  }
}

variable "window" {
  value = "2h"
}
