# Rasa's training stories (data/stories.yml, data/handoff.yml), as tests.

test "give help" {
  turn {
    user     = "what can you do"
    intent   = intent.help
    response = response.help
  }
}

test "say goodbye" {
  turn {
    user     = "see you later"
    intent   = intent.goodbye
    response = response.goodbye
  }
}

test "thank" {
  turn {
    user     = "thanks a lot"
    response = response.welcome
  }
}

test "open incident form interrupted by something out of scope" {
  for_each = {
    open_incident  = { says = "I want to open a new incident", title = false }
    password_reset = { says = "need help resetting my password", title = true }
    problem_email  = { says = "my outlook application won't open", title = true }
  }

  turn {
    user     = each.value.says
    intent   = "intent.${each.key}"
    response = response.ask_email
  }

  turn {
    user      = "what is the weather today"
    intent    = intent.out_of_scope
    responses = [response.out_of_scope, response.ask_email]
    dialog    = dialog.open_incident
  }

  turn {
    user     = "aileen.mottern@example.com"
    response = response.ask_priority
  }

  turn {
    user     = "medium"
    response = response.ask_problem_description
  }

  turn {
    user     = "It doesn't work since this morning"
    response = each.value.title ? "response.ask_confirm" : "response.ask_incident_title"
  }
}

test "incident status form interrupted" {
  for_each = {
    help         = { says = "what can you help me with", answer = "response.help" }
    out_of_scope = { says = "what is the meaning of life.", answer = "response.out_of_scope" }
  }

  turn {
    user     = "check incident status"
    response = response.ask_email
  }

  turn {
    user      = each.value.says
    intent    = "intent.${each.key}"
    responses = [each.value.answer, response.ask_email]
    dialog    = dialog.incident_status
  }

  turn {
    user     = "abraham.lincoln@example.com"
    response = response.incidents
    dialog   = "none"
  }
}

# The status check is dropped for the incident (its interrupt = "abandon").
test "incident status form switch to open incident" {
  turn {
    user     = "Is my ticket in progress?"
    response = response.ask_email
    dialog   = dialog.incident_status
  }

  turn {
    user     = "I need to open a helpdesk ticket. it's really important"
    intent   = intent.open_incident
    slots    = { priority = "high" }
    response = response.ask_email
    dialog   = dialog.open_incident
  }

  turn {
    user     = "abel.tuter@example.com"
    response = response.ask_problem_description
  }

  turn {
    user     = "My monitor flickers"
    response = response.ask_incident_title
  }

  turn {
    user     = "Monitor flickers"
    response = response.ask_confirm
  }

  turn {
    user     = "yes"
    response = response.incident_opened
    dialog   = "none"
  }
}

# The incident waits while the status is checked, then goes on, saying so.
test "open incident form switch to incident status form" {
  turn {
    user     = "I'm having a problem"
    intent   = intent.open_incident
    response = response.ask_email
  }

  turn {
    user     = "abraham.lincoln@example.com"
    response = response.ask_priority
  }

  # The email just given is offered again.
  turn {
    user     = "Has the incident been closed yet?"
    intent   = intent.incident_status
    response = response.ask_use_previous_email
    dialog   = dialog.incident_status
  }

  turn {
    user       = "yes"
    responses  = [response.incidents, response.ask_priority]
    reply_glob = "Back to your incident: What is the priority of this issue?"
    dialog     = dialog.open_incident
  }

  turn {
    user     = "low"
    response = response.ask_problem_description
  }
}

test "handoff deny" {
  agents_online = { it_support = 1 }

  turn {
    user     = "can I speak to an agent"
    response = response.ask_handoff
  }

  turn {
    user     = "no thanks"
    response = response.ask_whatelse
  }
}

test "handoff" {
  agents_online = { it_support = 2 }

  turn {
    user     = "chat with a live agent"
    response = response.ask_handoff
  }

  turn {
    user     = "/yes"
    handoff  = queue.it_support
    response = response.handoff
  }

  turn {
    user  = "hello?"
    reply = [] # with a person now: the bot stays quiet
  }
}
