# Actions run calls first, then the ticket, whatever order they are written
# in, so a call of the same block that reads ticket.id is sent "".

bot "b" {
  languages = ["en"]
}

intent "outage" {
  examples = ["no power", "my power is out", "power cut", "the lights went out", "blackout at home"]
}

connector "grid" {
  type = "plain"

  operation "report" {
    input  = { ticket_id = string }
    output = { reference = string }
  }
}

queue "field_ops" {}

dialog "outage" {
  trigger = [intent.outage]

  outcome "reported" {
    ticket {
      queue   = queue.field_ops
      subject = "Power outage"
    }
    call "report" {
      operation       = connector.grid.report
      input           = { ticket_id = ticket.id }       # WARNING: Ticket not opened yet
      idempotency_key = "outage-${ticket.id}"            # WARNING: Ticket not opened yet
    }
    reply = "Reported: ticket ${ticket.id}, reference ${call.report.reference}."
  }
}
