# Order tracking and address changes, in English and Chinese.
# With no `now`, a test runs on a Monday at 10:00 in the bot's time zone.
# The orders are those of backend/seed.go, mocked in mocks.hcl.

test "track an order in English" {
  turn {
    user     = "hi"
    intent   = intent.greet
    response = response.greet
  }

  turn {
    user     = "where is my order AB123456"
    intent   = intent.track_order
    calls    = [connector.orders.get_order]
    response = response.order_shipped
    reply    = ["Order AB123456 has shipped with SF Express and should arrive on 2026-11-25."]
    dialog   = "none"
  }

  turn {
    user     = "thanks, bye"
    response = response.goodbye
  }
}

test "track an order in Chinese" {
  turn {
    user       = "我的订单到哪了"
    intent     = intent.track_order
    response   = response.ask_order_id
    reply_glob = "*订单号*"
  }

  turn {
    user        = "AB123456"
    response    = response.order_shipped
    reply_regex = "已由SF Express发出"
  }
}

test "an order that does not exist is asked for again" {
  turn {
    user     = "track order ZZ999999"
    calls    = [connector.orders.get_order]
    response = response.order_not_found
    dialog   = dialog.track_order
  }

  turn {
    user     = "sorry, CD654321"
    response = response.order_status
    reply    = ["Order CD654321 is being prepared. Expected delivery: 2026-11-28."]
  }
}

test "an unknown order number in a refund is asked for again, in Chinese too" {
  turn {
    user     = "refund order ZZ000001 please"
    intent   = intent.refund
    calls    = [connector.orders.get_order]
    response = response.order_not_found
    reply    = ["I couldn't find order ZZ000001. Could you check the number?", "What's your order number? It looks like AB123456."]
    dialog   = dialog.refund
  }

  turn {
    user        = "订单号是 ZZ000002"
    calls       = [connector.orders.get_order]
    response    = response.order_not_found
    reply_regex = "没有找到订单 ZZ000002"
    dialog      = dialog.refund
  }

  turn {
    user     = "AB123456"
    slots    = { order_id = "AB123456" }
    response = response.ask_refund_reason
  }
}

test "an unknown order cannot change address, and the customer can try again" {
  turn {
    user     = "change the delivery address of YY123456"
    calls    = [connector.orders.get_order]
    response = response.order_not_found
    dialog   = dialog.change_address
  }

  turn {
    user     = "CD654321"
    calls    = [connector.orders.get_order]
    response = response.ask_address
  }
}

test "an already refunded order is refused by the order system" {
  turn {
    user = "I want a refund for LM222222, it arrived late"
  }

  turn {
    user     = "yes"
    calls    = [connector.orders.refund]
    response = response.refund_rejected
    dialog   = "none"
  }
}

test "invalid order numbers use up the retries, then a person takes over" {
  turn {
    user     = "track my order"
    response = response.ask_order_id
  }

  turn {
    user     = "my order is 12"
    response = response.invalid_order_id
  }

  turn {
    user     = "it's the blue one"
    response = response.invalid_order_id
  }

  turn {
    user     = "no idea"
    handoff  = queue.general
    response = response.handoff_general
  }
}

test "change the address of an order that has not shipped" {
  turn {
    user     = "change my delivery address for CD654321"
    intent   = intent.change_address
    calls    = [connector.orders.get_order]
    response = response.ask_address
  }

  turn {
    user     = "Shanghai"
    response = response.address_too_short
  }

  turn {
    user     = "Room 5, 88 Nanjing Road, Shanghai 200001"
    slots    = { address = "Room 5, 88 Nanjing Road, Shanghai 200001" }
    response = response.confirm_address
  }

  turn {
    user     = "yes"
    calls    = [connector.orders.update_address]
    response = response.address_updated
    dialog   = "none"
  }
}

test "an order that has shipped cannot change address" {
  turn {
    user     = "I need to update the shipping address of AB123456"
    response = response.address_too_late
    reply    = ["Order AB123456 is already on its way, so its address can't be changed any more."]
    dialog   = "none"
  }
}

test "cancel with never mind" {
  turn {
    user   = "change my delivery address"
    dialog = dialog.change_address
  }

  turn {
    user       = "never mind"
    dialog     = "none"
    reply_glob = "*cancelled*"
  }
}

test "what customers hear about each kind of order" {
  for_each = {
    AB123456 = { response = response.order_shipped, says = "*shipped with SF Express*2026-11-25*" }
    CD654321 = { response = response.order_status, says = "*is being prepared*2026-11-28*" }
    EF111111 = { response = response.order_status, says = "*was delivered on 2026-11-20*" }
    JK500000 = { response = response.order_shipped, says = "*YTO Express*2026-11-30*" }
    ZH880299 = { response = response.order_status, says = "*ZH880299*delivered*" }
  }

  turn {
    user     = "I'd like to know where my order is"
    response = response.ask_order_id
  }

  turn {
    user       = "it's ${each.key}"
    entities   = { order_id = each.key }
    calls      = [connector.orders.get_order]
    response   = each.value.response
    reply_glob = each.value.says
    dialog     = "none"
  }
}

test "new delivery addresses, complete or not" {
  for_each = {
    "street"          = { address = "Flat 12, 3 Hengshan Road, Xuhui, Shanghai 200031", complete = true }
    "zh full"         = { address = "北京市朝阳区建国路88号SOHO现代城2号楼1503室", complete = true }
    "city only"       = { address = "Beijing", complete = false }
    "zh city only"    = { address = "上海市", complete = false }
    "street, no city" = { address = "5 Long St", complete = false }
  }

  turn {
    user     = "can you send order GH500000 to a different address"
    calls    = [connector.orders.get_order]
    response = response.ask_address
  }

  turn {
    user     = each.value.address
    response = each.value.complete ? response.confirm_address : response.address_too_short
    slots    = { address = each.value.complete ? each.value.address : null }
  }
}

test "an address that stays incomplete is left for the customer to change" {
  turn {
    user     = "I need to change the address for CD654321"
    response = response.ask_address
  }

  turn {
    user     = "Shanghai"
    response = response.address_too_short
  }

  turn {
    user     = "Pudong"
    response = response.address_too_short
  }

  turn {
    user     = "Room 5"
    response = response.address_give_up
    dialog   = "none"
  }
}
