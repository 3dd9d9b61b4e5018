# A call that reads another call's result: the customer's cases need the id
# the customer lookup gives. The cases call is written first on purpose.
bot "crm" {
  languages = ["en"]
}

connector "crm" {
  type = "fixture"
  data = {
    customers = {
      "ada@example.com" = { id = "C1" }
      "bob@example.com" = { id = "C2" }
    }
    cases = {
      C1 = { count = 5 }
      C2 = { count = 1 }
    }
  }

  operation "find_customer" {
    input  = { email = string }
    output = { id = string }
    lookup = "customers"
  }

  operation "open_cases" {
    input  = { customer_id = string }
    output = { count = number }
    lookup = "cases"
  }
}

intent "cases" {
  examples = ["my cases", "show my open cases", "what cases do I have open"]
}

dialog "cases" {
  trigger = [intent.cases]

  slot "email" {
    type   = email
    prompt = "What's your email?"
  }

  call "cases" {
    operation = connector.crm.open_cases
    input     = { customer_id = call.customer.id }
  }

  call "customer" {
    operation = connector.crm.find_customer
    input     = { email = slot.email }

    on_not_found {
      reply = "No account for ${slot.email}."
      reask = slot.email
    }
  }

  outcome "listed" {
    when  = call.cases.error == ""
    reply = "You have ${call.cases.count} open cases."
  }

  outcome "unknown" {
    reply = "I couldn't look your cases up."
  }
}
