# A call runs once every slot its input reads is filled, and an optional slot
# is never asked for: the call runs only when the customer happens to give it.

bot "b" {
  languages = ["en"]
}

intent "flight_status" {
  examples = ["is my flight on time", "flight status", "has CA1234 been delayed", "when does my flight leave", "status of MU5101"]
}

entity "flight_no" {
  pattern     = "(CA|MU)[0-9]{3,4}"
  ignore_case = true
}

connector "flights" {
  type = "plain"

  operation "status" {
    input  = { flight_no = string, date = optional(string) }
    output = { status = string }
  }
}

locals {
  date_or_null = slot.date
}

dialog "flight_status" {
  trigger = [intent.flight_status]

  slot "flight_no" {
    type   = flight_no
    prompt = "Which flight?"
  }

  slot "date" {
    type     = date
    optional = true
  }

  slot "note" {
    type     = text
    optional = true
    default  = "none"
  }

  call "status" {
    operation = connector.flights.status
    input     = { flight_no = slot.flight_no, date = slot.date } # WARNING: Call waits for an optional slot
  }

  call "status_any_day" {
    operation = connector.flights.status
    input     = { flight_no = slot.flight_no, date = local.date_or_null }
  }

  call "status_noted" {
    operation = connector.flights.status
    input     = { flight_no = slot.flight_no, date = slot.note }
  }

  outcome "found" {
    reply = "Flight ${slot.flight_no} is ${call.status.status} (${call.status_any_day.status}, ${call.status_noted.status})."
  }
}
