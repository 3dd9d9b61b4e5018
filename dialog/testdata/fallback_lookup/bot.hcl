# A call that reads only another call's error runs after it, failed or not:
# the legacy directory is asked why the new one had no answer. A call that
# reads the other's result does not run when it failed.
bot "crm" {
  languages = ["en"]
}

connector "crm" {
  type = "fixture"
  data = {
    customers = {
      "ada@example.com" = { id = "C1" }
    }
    legacy = {
      "old@example.com" = { id = "L9" }
    }
    cases = {
      C1 = { count = 5 }
    }
  }

  operation "find_customer" {
    input  = { email = string }
    output = { id = string }
    lookup = "customers"
  }

  operation "find_legacy" {
    input  = { email = string, reason = string }
    output = { id = string }
    lookup = "legacy"
  }

  operation "open_cases" {
    input  = { customer_id = string }
    output = { count = number }
    lookup = "cases"
  }
}

intent "cases" {
  examples = ["my cases", "show my open cases", "what cases do I have open", "list my support cases", "how many cases are open for me"]
}

dialog "cases" {
  trigger = [intent.cases]

  slot "email" {
    type     = email
    prompt   = "What's your email?"
    validate = call.customer.id != null || call.legacy.id != null
    invalid  = "No account for ${slot.email}. What's your email?"
  }

  call "customer" {
    operation = connector.crm.find_customer
    input     = { email = slot.email }
  }

  call "legacy" {
    operation = connector.crm.find_legacy
    input     = { email = slot.email, reason = call.customer.error }
  }

  call "cases" {
    operation = connector.crm.open_cases
    input     = { customer_id = call.customer.id }
  }

  outcome "listed" {
    when  = call.cases.error == ""
    reply = "You have ${call.cases.count} open cases."
  }

  outcome "legacy" {
    when  = call.legacy.id != null
    reply = "Your account ${call.legacy.id} is in the old system: its cases are not online."
  }

  outcome "unknown" {
    reply = "I couldn't look your cases up."
  }
}

# parley test runs the same rule through the engine.
test "the fallback runs when the first lookup finds no one" {
  turn {
    user  = "show my open cases"
    reply = "What's your email?"
  }

  turn {
    user  = "old@example.com"
    calls = [connector.crm.find_customer, connector.crm.find_legacy]
    reply = "Your account L9 is in the old system: its cases are not online."
  }
}

test "the fallback runs after a lookup that answered too" {
  turn {
    user  = "show my open cases"
    reply = "What's your email?"
  }

  turn {
    user  = "ada@example.com"
    calls = [connector.crm.find_customer, connector.crm.find_legacy, connector.crm.open_cases]
    reply = "You have 5 open cases."
  }
}
