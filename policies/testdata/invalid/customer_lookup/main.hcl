bot "b" {
  languages = ["en"]
}

connector "crm" {
  type     = "http"
  base_url = "https://crm.example.com"

  operation "find" {
    input  = { email = optional(string), id = optional(number) }
    output = { vip = string, points = number }
    method = "GET"
    path   = "/customers"
  }

  operation "nothing" {
    input  = { email = string }
    output = { points = number }
    method = "GET"
    path   = "/points"
  }
}

customer_lookup { # ERROR: Wrong lookup output
  operation = connector.crm.find
  input = {
    email = message, # ERROR: Not available in a customer lookup
  }
  refresh = "often" # ERROR: Invalid duration
}

customer_lookup { # ERROR: Duplicate customer_lookup block
  operation = connector.crm.nothing
  input     = { email = customer.email }
}
