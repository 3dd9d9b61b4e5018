bot "b" {
  languages = ["en"]
}

queue "general" {}

tickets {
  notify {
    created = "We got ticket ${ticket.id}."
  }
}

response "ticket_received" {
  en = "Thanks: ticket ${ticket.id}."
}

test "the notice is a text of its own" {
  ticket { # ERROR: Notice never sent
    text   = "hello"
    notice = response.ticket_received
  }

  ticket {
    text   = "hello"
    notice = "none"
  }
}
