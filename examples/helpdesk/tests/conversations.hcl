# Rasa's tests/test_conversations.yml, story by story. Where a Rasa story
# only says that the form ran (active_loop), the turns fill it in.

test "bot challenge" {
  turn {
    user     = "Are you a bot?"
    intent   = intent.bot_challenge
    response = response.iamabot
  }
}

test "out of scope" {
  turn {
    user     = "I want a pizza"
    intent   = intent.out_of_scope
    response = response.out_of_scope
  }
}

test "open incident" {
  turn {
    user      = "hello"
    intent    = intent.greet
    responses = [response.greet, response.help]
  }

  turn {
    user     = "I need to open an incident"
    intent   = intent.open_incident
    response = response.ask_email
    dialog   = dialog.open_incident
  }

  turn {
    user     = "aileen.mottern@example.com"
    calls    = [connector.servicenow.find_user]
    response = response.ask_priority
  }

  turn {
    user     = "medium"
    slots    = { priority = "medium" }
    response = response.ask_problem_description
  }

  turn {
    user     = "The projector in room 4 shows no picture"
    response = response.ask_incident_title
  }

  turn {
    user     = "Projector broken"
    response = response.ask_confirm
  }

  turn {
    user       = "yes"
    calls      = [connector.servicenow.create_incident]
    response   = response.incident_opened
    reply_glob = "Successfully opened up incident INC00*"
    dialog     = "none"
  }
}

test "open password reset incident" {
  turn {
    user     = "I'm having issues with my password"
    intent   = intent.password_reset
    response = response.ask_email
  }

  turn {
    user     = "abel.tuter@example.com"
    response = response.ask_priority
  }

  turn {
    user     = "low"
    response = response.ask_problem_description
  }

  # The title comes from the intent that opened the incident.
  turn {
    user       = "It says my password has expired and the reset link fails"
    response   = response.ask_confirm
    slots      = { incident_title = "Problem resetting password" }
    reply_glob = "*title: Problem resetting password*"
  }

  turn {
    user     = "yes please"
    calls    = [connector.servicenow.create_incident]
    response = response.incident_opened
  }
}

test "email incident" {
  turn {
    user      = "hello"
    responses = [response.greet, response.help]
  }

  turn {
    user     = "I have a problem with my email"
    intent   = intent.problem_email
    response = response.ask_email
  }

  turn {
    user     = "abel.tuter@example.com"
    response = response.ask_priority
  }

  turn {
    user     = "high"
    response = response.ask_problem_description
  }

  turn {
    user     = "Outlook crashes when I open it"
    response = response.ask_confirm
    slots    = { incident_title = "Problem with email", priority = "high" }
  }

  turn {
    user     = "yes"
    response = response.incident_opened
  }
}

test "interrupted" {
  turn {
    user     = "I have a problem with my email"
    response = response.ask_email
  }

  # A question in the middle: answered, then the form goes on.
  turn {
    user      = "help"
    intent    = intent.help
    responses = [response.help, response.ask_email]
    dialog    = dialog.open_incident
  }

  turn {
    user     = "aileen.mottern@example.com"
    response = response.ask_priority
  }

  turn {
    user     = "low"
    response = response.ask_problem_description
  }

  turn {
    user     = "Outlook keeps asking for my password"
    response = response.ask_confirm
  }

  turn {
    user     = "yes"
    response = response.incident_opened
  }
}

test "greet + thank" {
  turn {
    user      = "Hey there"
    responses = [response.greet, response.help]
  }

  turn {
    user     = "Awesome, thanks!"
    intent   = intent.thank
    response = response.welcome
  }
}

test "user requests a human handoff" {
  agents_online = { it_support = 1 }

  turn {
    user     = "I want to talk to a person now"
    intent   = intent.human_handoff
    response = response.ask_handoff
  }

  turn {
    user     = "uh no"
    response = response.ask_whatelse
    dialog   = "none"
  }
}

test "User says something out of scope" {
  turn {
    user     = "Can you get me a pizza"
    response = response.out_of_scope
  }
}

test "trigger handoff" {
  agents_online = { it_support = 1 }

  turn {
    user     = "give me a human"
    response = response.ask_handoff
  }

  turn {
    user     = "yes"
    handoff  = queue.it_support
    response = response.handoff
  }
}

test "Test fallback" {
  turn {
    user     = "asdfgh qwerty zxcvbn"
    intent   = "none"
    response = response.default
  }
}

test "incident status happy path" {
  turn {
    user      = "Hey there"
    responses = [response.greet, response.help]
  }

  turn {
    user     = "Can you check the status of my incident"
    intent   = intent.incident_status
    response = response.ask_email
  }

  turn {
    user       = "abraham.lincoln@example.com"
    calls      = [connector.servicenow.find_user, connector.servicenow.list_incidents]
    response   = response.incidents
    reply_glob = "*Incident INC0000016: \"Rain is leaking on main DNS Server\", opened on 2026-11-22 16:03:10 is awaiting triage*Incident INC0000015*is in progress*"
    dialog     = "none"
  }
}
