bot "b" {
  languages = ["en"]
}

connector "crm" {
  type     = "http"
  base_url = "https://crm.example.com"

  operation "nothing" {
    input  = { email = string, id = number }
    output = { points = number }
    method = "GET"
    path   = "/points"
  }
}

customer_lookup { # ERROR: Nothing to keep
  operation = connector.crm.nothing
  input = {                # ERROR: Missing input
    mail = customer.email, # ERROR: Unknown input
    id   = "7",            # ERROR: Wrong input type
  }
}
