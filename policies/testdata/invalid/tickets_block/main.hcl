bot "b" {
  languages = ["en"]
}

queue "general" {}

tickets {
  default_queue = queue.genral # ERROR: Unknown queue

  notify {
    solved  = response.ticket_slved      # ERROR: Unknown response
    reopen  = "Open again"               # ERROR: Unsupported argument
    pending = "Ticket ${ticket.sujbect}" # ERROR: Unknown attribute
    closed  = "Closed: ${ticket.subject}"
    created = "Got it: ${ticket.id}"
    open    = "Open: ${ticket.status} ${ticket.queue} ${ticket.priority}"
  }
}

tickets {} # ERROR: Duplicate tickets block

response "ticket_solved" {
  en = "Solved."
}
