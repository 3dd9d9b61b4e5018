# What the port needs from the language's second edition.

# Rasa's previous_email: the address used last is offered, not asked again.
test "the last email address is offered for the next incident" {
  turn {
    user     = "I need to open an incident"
    response = response.ask_email
  }

  turn {
    user = "aileen.mottern@example.com"
  }

  turn {
    user = "low"
  }

  turn {
    user = "My keyboard is missing a key"
  }

  turn {
    user = "Broken keyboard"
  }

  turn {
    user     = "yes"
    response = response.incident_opened
  }

  turn {
    user     = "Do I have any open incidents at the moment?"
    response = response.ask_use_previous_email
    reply    = ["Would you like to use the last email address you used, aileen.mottern@example.com?"]
  }

  turn {
    user   = "yes"
    slots  = { email = "aileen.mottern@example.com" }
    calls  = [connector.servicenow.find_user, connector.servicenow.list_incidents]
    dialog = "none"
  }
}

test "no to the last email address asks for one; another address is taken" {
  turn {
    user = "check ticket status"
  }

  turn {
    user = "abraham.lincoln@example.com"
  }

  turn {
    user     = "I need to open an incident"
    response = response.ask_use_previous_email
  }

  turn {
    user     = "no, use abel.tuter@example.com"
    slots    = { email = "abel.tuter@example.com" }
    response = response.ask_priority
  }

  turn {
    user     = "check incident status"
    response = response.ask_use_previous_email
    reply    = ["Would you like to use the last email address you used, abel.tuter@example.com?"]
  }

  turn {
    user     = "nope"
    response = response.ask_email
  }
}

test "an address the directory does not know is refused" {
  turn {
    user     = "open an incident for joe@example.com"
    calls    = [connector.servicenow.find_user]
    response = response.no_email
    reply    = ["Sorry, \"joe@example.com\" isn't in our incident management system. Please try again."]
  }

  turn {
    user     = "abel.tuter@example.com"
    response = response.ask_priority
  }
}

test "a priority that is not one" {
  turn {
    user = "I'm having a weird issue."
  }

  turn {
    user = "abel.tuter@example.com"
  }

  turn {
    user     = "whenever you like"
    response = response.no_priority
    reply    = ["Sorry \"whenever you like\" is not a valid priority. Please try again."]
  }

  turn {
    user     = "/inform{\"priority\":\"medium\"}"
    slots    = { priority = "medium" }
    response = response.ask_problem_description
  }
}

test "the priority given with the request is kept" {
  turn {
    user     = "I want to open an incident, but it's low priority"
    slots    = { priority = "low" }
    response = response.ask_email
  }

  turn {
    user     = "abel.tuter@example.com"
    response = response.ask_problem_description
  }
}

test "a change at the confirmation" {
  turn {
    user = "open an urgent issue"
  }

  turn {
    user = "aileen.mottern@example.com"
  }

  turn {
    user = "The printer on floor 2 is jammed"
  }

  turn {
    user     = "Printer jam"
    response = response.ask_confirm
  }

  turn {
    user       = "actually it's low priority"
    slots      = { priority = "low" }
    response   = response.ask_confirm
    reply_glob = "*priority: low"
  }

  turn {
    user     = "yes"
    response = response.incident_opened
  }
}

# Nobody from the IT team online: an incident instead of a transfer.
test "a person is asked for, and nobody is online" {
  turn {
    user     = "real human"
    response = response.ask_handoff
  }

  turn {
    user      = "yes"
    responses = [response.no_agents, response.ask_email]
    dialog    = dialog.open_incident
  }
}

test "ServiceNow is down when the incident is opened" {
  live = false # the stand-in can't be made to fail on demand

  mock {
    operation = connector.servicenow.create_incident
    error     = "unavailable"
  }

  turn {
    user = "I have an issue I need to open a incident for"
  }

  turn {
    user = "abel.tuter@example.com"
  }

  turn {
    user = "high"
  }

  turn {
    user = "VPN drops every hour"
  }

  turn {
    user = "VPN drops"
  }

  turn {
    user     = "yes"
    response = response.incident_not_opened
    dialog   = "none"
  }
}

test "ServiceNow is down when the status is checked" {
  live = false

  mock {
    operation = connector.servicenow.find_user
    error     = "unavailable"
  }

  turn {
    user = "what's going on with the incident I opened?"
  }

  turn {
    user     = "abraham.lincoln@example.com"
    response = response.status_unavailable
    dialog   = "none"
  }
}
