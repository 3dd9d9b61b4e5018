test "orders a pizza" {
  now      = "2026-11-23T10:00:00Z"
  language = "en"
  customer = { name = "Ann", vip = true }

  connector "kitchen" {
    data = { open = false }
  }

  turn {
    user     = "I want 2 pizzas"
    intent   = intent.order
    slots    = { dish = "pizza", count = 2 }
    response = response.confirm
    dialog   = dialog.order
  }

  turn {
    user        = "yes"
    calls       = [connector.kitchen.place]
    reply_regex = "^Order K-1"
    reply_glob  = "Order *"
    dialog      = "none"
  }

  turn {
    user   = "blah"
    intent = "none"
    reply  = []
  }

  turn {
    user    = "agent"
    handoff = queue.general
    ticket  = queue.kitchen
    calls   = []
    reply   = ["Connecting you."]
  }
}
