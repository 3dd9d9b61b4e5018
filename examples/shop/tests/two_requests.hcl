# A message that asks for two things gets both, in the order asked: the
# second once the first is done.

test "tracking and an address change in one message" {
  turn {
    user       = "where is my order AB123456? also I want to change my delivery address"
    responses  = [response.order_shipped, response.address_too_late]
    reply_glob = "Now your other request: your address change."
  }
}

test "the second request waits until the refund is done" {
  turn {
    user      = "I want a refund for PQ000499. Also, where is my order CD654321?"
    responses = [response.ask_refund_reason]
    slots     = { order_id = "PQ000499" }
  }

  turn {
    user      = "I changed my mind"
    responses = [response.confirm_refund]
  }

  turn {
    user       = "yes"
    calls      = [connector.orders.refund, connector.orders.get_order]
    responses  = [response.refund_approved, response.order_status]
    reply_glob = "*CD654321*"
    dialog     = "none"
  }
}

test "两件事一起问，先查订单再办退款" {
  turn {
    user       = "帮我查下订单AB123456到哪了，另外我想退款"
    responses  = [response.order_shipped, response.ask_refund_reason]
    reply_glob = "接下来办您的另一件事：退款。"
    dialog     = dialog.refund
    slots      = { order_id = "AB123456" }
  }
}

test "a sentence that only tells more is no second request" {
  turn {
    user      = "I want a refund for AB123456. The box was crushed when it arrived."
    responses = [response.ask_refund_reason]
  }
}

test "a greeting before the request is no second request" {
  turn {
    user      = "Hi there! Where is my order AB123456?"
    responses = [response.order_shipped]
  }
}
