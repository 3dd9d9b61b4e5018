# When the order system fails, and orders it doesn't have. Mocks in a test are
# tried before the top-level ones (mocks.hcl), so each test plays its own
# failure. The real system can't be made to fail on demand, so these tests say
# live = false: `parley test -live` skips them.

test "an order lookup that fails opens a ticket" {
  for_each = {
    "tracking, system down"    = { user = "where is my order AB123456", error = "unavailable" }
    "tracking, no answer"      = { user = "has AB123456 shipped?", error = "timeout" }
    "refund, system down"      = { user = "I want a refund for CD654321", error = "unavailable" }
    "address, no answer in zh" = { user = "订单 CD654321 地址写错了，要改一下", error = "timeout" }
  }
  live = false

  mock {
    operation = connector.orders.get_order
    error     = each.value.error
  }

  turn {
    user     = each.value.user
    calls    = [connector.orders.get_order]
    response = response.orders_unavailable
    ticket   = queue.general
  }
}

test "a refund the order system does not confirm goes to the refunds team" {
  for_each = { "system down" = "unavailable", "no answer" = "timeout" }
  live     = false

  mock {
    operation = connector.orders.refund
    error     = each.value
  }

  turn {
    user     = "refund PQ000499, I changed my mind"
    response = response.confirm_refund
  }

  turn {
    user     = "yes"
    calls    = [connector.orders.refund]
    response = response.refund_not_confirmed
    ticket   = queue.refund_review
    dialog   = "none"
  }
}

test "an address the order system does not save goes to a colleague" {
  live = false

  mock {
    operation = connector.orders.update_address
    input     = { order_id = "CD654321" }
    error     = "unavailable"
  }

  turn {
    user     = "please change the delivery address of CD654321"
    response = response.ask_address
  }

  turn {
    user     = "Room 1203, 500 Zhangyang Road, Pudong, Shanghai 200122"
    response = response.confirm_address
  }

  turn {
    user     = "yes"
    calls    = [connector.orders.update_address]
    response = response.address_not_updated
    ticket   = queue.general
  }
}

test "refund rules at their boundaries" {
  for_each = {
    "0.01"    = { total = 0.01, response = response.refund_approved }
    "499.99"  = { total = 499.99, response = response.refund_approved }
    "500"     = { total = 500, response = response.refund_under_review }
    "5000"    = { total = 5000, response = response.refund_under_review }
    "5000.01" = { total = 5000.01, response = response.refund_needs_supervisor }
  }
  live = false

  mock {
    operation = connector.orders.get_order
    input     = { order_id = "TT000001" }
    output    = { status = "delivered", carrier = "SF Express", eta = "2026-11-20", total = each.value.total }
  }

  mock {
    operation = connector.orders.refund
    input     = { order_id = "TT000001" }
    output    = { refund_id = "RF-77", status = "approved", amount = each.value.total }
  }

  turn {
    user     = "please refund TT000001, you sent the wrong item"
    slots    = { order_id = "TT000001", reason = "wrong_item" }
    response = response.confirm_refund
  }

  turn {
    user     = "yes"
    response = each.value.response
  }
}

test "an order status the shop rarely sees is read out as it is" {
  live = false

  mock {
    operation = connector.orders.get_order
    input     = { order_id = "XY000042" }
    output    = { status = "returned to sender", carrier = "JD Logistics", eta = "2026-11-21", total = 88 }
  }

  turn {
    user     = "can you check the status of order XY000042?"
    calls    = [connector.orders.get_order]
    response = response.order_status
    reply    = ["Order XY000042 is returned to sender. Expected delivery: 2026-11-21."]
  }
}
