bot "b" {
  languages = ["en"]
}

connector "shop" {
  type = "plain"

  retry {
    attempts = 0 # ERROR: Invalid attempts
  }

  circuit_breaker {
    cooldown = "0s" # ERROR: Invalid duration
  }

  operation "get_order" {
    input  = { order_id = strin } # ERROR: Invalid type
    output = { error = string }   # ERROR: Reserved output field
  }

  operation "refund" {
    input   = { order_id = string, order_id = number } # ERROR: Duplicate input
    timeout = "-1s"                                    # ERROR: Invalid duration
  }
}
