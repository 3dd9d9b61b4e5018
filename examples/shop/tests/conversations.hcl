# Digressions, corrections, cancels and Chinese conversations.

test "a question in the middle of a refund is answered, then the refund goes on" {
  turn {
    user     = "I want a refund"
    response = response.ask_order_id
  }

  turn {
    user       = "what's your return policy?"
    intent     = intent.return_policy
    response   = response.return_policy
    reply_glob = "*order number*"
    dialog     = dialog.refund
  }

  turn {
    user     = "AB123456"
    slots    = { order_id = "AB123456" }
    response = response.ask_refund_reason
  }
}

test "a tracking question in the middle of a refund is its own dialog, then the refund resumes" {
  turn {
    user     = "I want a refund for AB123456"
    response = response.ask_refund_reason
  }

  turn {
    user       = "wait, where is my other order CD654321?"
    calls      = [connector.orders.get_order]
    response   = response.order_status
    reply_glob = "*reason for the refund*"
    dialog     = dialog.refund
    slots      = { order_id = "AB123456" }
    # The side dialog had its own order number, and the refund kept its one.
    dialog_slots = {
      track_order = { order_id = "CD654321" }
      refund      = { order_id = "AB123456" }
    }
  }
}

test "a refund started while the bot asks which order to track stacks on it" {
  turn {
    user     = "where is my order"
    response = response.ask_order_id
  }

  turn {
    user         = "forget tracking, I want a refund"
    intent       = intent.refund
    dialog       = dialog.refund
    dialog_slots = { refund = { order_id = null }, track_order = { order_id = null } }
    response     = response.ask_order_id
  }

  turn {
    user         = "AB123456"
    dialog_slots = { refund = { order_id = "AB123456" } }
    response     = response.ask_refund_reason
  }
}

test "correcting the order number looks the new order up" {
  turn {
    user     = "refund CD654321"
    response = response.ask_refund_reason
  }

  turn {
    user     = "actually it's order AB123456"
    slots    = { order_id = "AB123456" }
    calls    = [connector.orders.get_order]
    response = response.ask_refund_reason
  }

  turn {
    user       = "wrong item"
    response   = response.confirm_refund
    reply_glob = "*AB123456 (¥320.00)*"
  }
}

test "算了 cancels a refund" {
  turn {
    user     = "我要退款"
    response = response.ask_order_id
  }

  turn {
    user   = "算了"
    dialog = "none"
    reply  = ["好的，已取消。"]
  }
}

test "a refund in Chinese" {
  turn {
    user     = "订单 ZH880299 退款"
    intent   = intent.refund
    slots    = { order_id = "ZH880299" }
    response = response.ask_refund_reason
  }

  turn {
    user     = "不想要了"
    slots    = { reason = "changed_mind" }
    response = response.confirm_refund
  }

  turn {
    user        = "是的"
    calls       = [connector.orders.refund]
    response    = response.refund_approved
    reply_regex = "退款号 RF-[0-9]+"
  }
}

test "greeting in Chinese" {
  turn {
    user   = "你好"
    intent = intent.greet
    reply  = ["您好！我可以帮您查订单、办退款、改地址。请问有什么可以帮您？"]
  }
}
