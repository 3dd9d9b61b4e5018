bot "b" {
  languages = ["en"]
}

connector "orders" {
  type = "fixture"
  dta  = {} # ERROR: Unsupported argument

  operation "get_order" {
    lookup = ["orders"] # ERROR: Incorrect attribute value type
  }
}

connector "api" { # ERROR: Missing required argument
  type = "http"
}
