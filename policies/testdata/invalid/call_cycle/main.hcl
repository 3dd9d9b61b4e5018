# Two calls that read each other's results: each waits for the other, so
# neither ever runs.
bot "crm" {
  languages = ["en"]
}

connector "crm" {
  type = "fixture"
  data = {
    customers = { "ada@example.com" = { id = "C1" } }
    cases     = { C1 = { count = 5 } }
  }

  operation "find_customer" {
    input  = { email = string, cases = optional(number) }
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
  examples = ["my cases", "show my open cases", "what cases do I have open", "list my cases", "any open cases for me"]
}

locals {
  customer_id = call.customer.id
}

dialog "cases" {
  trigger = [intent.cases]

  slot "email" {
    type   = email
    prompt = "What's your email?"
  }

  call "customer" {
    operation = connector.crm.find_customer
    input     = { email = slot.email, cases = call.cases.count } # ERROR: Calls read each other
  }

  call "cases" {
    operation = connector.crm.open_cases
    input     = { customer_id = local.customer_id }
  }

  outcome "listed" {
    reply = "You have ${call.cases.count} open cases."
  }
}
