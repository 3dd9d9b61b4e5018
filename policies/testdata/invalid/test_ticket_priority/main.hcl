bot "b" {
  languages = ["en"]
}

intent "complain" {
  examples = ["I want to complain", "this is a complaint", "file a complaint", "I am unhappy with the service", "complaint please"]
}

queue "complaints" {}

test "priorities" {
  turn {
    user            = "I want to complain"
    ticket          = queue.complaints
    ticket_priority = "hihg" # ERROR: Invalid ticket priority
  }

  turn {
    user            = "I want to complain"
    ticket          = queue.complaints
    ticket_priority = high # ERROR: Missing quotes
  }

  turn {
    user            = "I want to complain"
    ticket_priority = "high" # ERROR: Ticket priority without a ticket
  }

  turn {
    user            = "I want to complain"
    ticket          = "none"
    ticket_priority = "low" # ERROR: Ticket priority without a ticket
  }

  turn {
    user            = "I want to complain"
    ticket          = queue.complaint # ERROR: Unknown queue
    ticket_priority = "low"
  }
}
