# What the language's second edition fixed (issue 14), as the customer sees it.

test "after tracking an order, refund it without giving the number again" {
  turn {
    user     = "where is my order ZH880299"
    response = response.order_status
  }

  turn {
    user     = "Thanks! Can I get a refund for it?"
    intent   = intent.refund
    slots    = { order_id = "ZH880299" }
    response = response.ask_refund_reason
  }
}

test "the refund button of an order status carries the order number" {
  turn {
    user     = "/refund{\"order_id\":\"PQ000499\"}"
    intent   = intent.refund
    slots    = { order_id = "PQ000499" }
    calls    = [connector.orders.get_order]
    response = response.ask_refund_reason
  }
}

test "a delivered order says when it was delivered, in Chinese too" {
  turn {
    user  = "where is EF111111"
    reply = ["Order EF111111 was delivered on 2026-11-20."]
  }

  turn {
    user  = "订单 EF111111 到哪了"
    reply = ["订单 EF111111 已于 2026-11-20 签收。"]
  }
}

test "an order status is shown in the customer's language" {
  language = "zh"

  turn {
    user     = "查一下订单 CD654321"
    response = response.order_status
    reply    = ["订单 CD654321 当前状态：备货中，预计 2026-11-28 送达。"]
  }
}

test "no with a new order number at the confirmation is a correction" {
  turn {
    user     = "refund AB123456, it's the wrong item"
    response = response.confirm_refund
  }

  turn {
    user       = "no, I meant CD654321"
    calls      = [connector.orders.get_order]
    slots      = { order_id = "CD654321", reason = "wrong_item" }
    response   = response.confirm_refund
    reply_glob = "*CD654321*"
    dialog     = dialog.refund
  }
}

test "a tracking question while the refund asks for the number is tracking, then back to the refund" {
  turn {
    user     = "I want a refund"
    response = response.ask_order_id
  }

  turn {
    user       = "where is my order CD654321?"
    responses  = [response.order_status, response.ask_order_id]
    reply_glob = "Back to your refund: What's your order number?*"
    dialog     = dialog.refund
  }
}

test "yes at the refund reason is not a knowledge question" {
  turn {
    user     = "refund AB123456"
    response = response.ask_refund_reason
  }

  turn {
    user      = "yes"
    knowledge = "none"
    response  = response.ask_refund_reason
  }
}

test "no at an address confirmation changes nothing, and says so neutrally" {
  turn {
    user     = "change the address of order CD654321"
    response = response.ask_address
  }

  turn {
    user     = "Room 5, 100 Nanjing Road, Shanghai 200001"
    response = response.confirm_address
  }

  turn {
    user   = "no"
    reply  = ["OK, I won't go ahead with that."]
    dialog = "none"
  }
}
