# The order system as the tests know it: the orders of backend/seed.go. Top-level
# mocks answer every test's calls, so `parley test examples/shop` needs no backend;
# `parley test -live examples/shop` (make test runs both) checks the same tests
# against the real one, which keeps these mocks honest.
# A test's own mock blocks are tried first; then these, top to bottom.

mock {
  operation = connector.orders.get_order
  input     = { order_id = "AB123456" }
  output    = { status = "shipped", carrier = "SF Express", eta = "2026-11-25", total = 320 }
}

mock {
  operation = connector.orders.get_order
  input     = { order_id = "CD654321" }
  output    = { status = "processing", carrier = "", eta = "2026-11-28", total = 1280 }
}

mock {
  operation = connector.orders.get_order
  input     = { order_id = "EF111111" }
  output    = { status = "delivered", carrier = "JD Logistics", eta = "2026-11-20", total = 8999 }
}

mock {
  operation = connector.orders.get_order
  input     = { order_id = "GH500000" }
  output    = { status = "processing", carrier = "", eta = "2026-12-01", total = 500 }
}

mock {
  operation = connector.orders.get_order
  input     = { order_id = "JK500000" }
  output    = { status = "shipped", carrier = "YTO Express", eta = "2026-11-30", total = 5000 }
}

mock {
  operation = connector.orders.get_order
  input     = { order_id = "PQ000499" }
  output    = { status = "delivered", carrier = "SF Express", eta = "2026-11-20", total = 499 }
}

mock {
  operation = connector.orders.get_order
  input     = { order_id = "RS005001" }
  output    = { status = "delivered", carrier = "SF Express", eta = "2026-11-20", total = 5001 }
}

mock {
  operation = connector.orders.get_order
  input     = { order_id = "ZH880299" }
  output    = { status = "delivered", carrier = "顺丰速运", eta = "2026-11-20", total = 299 }
}

mock {
  operation = connector.orders.get_order
  input     = { order_id = "LM222222" }
  output    = { status = "delivered", carrier = "SF Express", eta = "2026-11-10", total = 199 }
}

# Any other order number is unknown to the order system.
mock {
  operation = connector.orders.get_order
  error     = "not_found"
}

# Refunds: one order per test that refunds (see backend/seed.go), so the live run
# refunds each once. LM222222 has been refunded already.
mock {
  operation = connector.orders.refund
  input     = { order_id = "PQ000499", amount = 499 }
  output    = { refund_id = "RF-1", status = "approved", amount = 499 }
}

mock {
  operation = connector.orders.refund
  input     = { order_id = "ZH880299", amount = 299 }
  output    = { refund_id = "RF-2", status = "approved", amount = 299 }
}

# Refunds over 5000 run once a supervisor approves them.
mock {
  operation = connector.orders.refund
  input     = { order_id = "RS005001", amount = 5001 }
  output    = { refund_id = "RF-3", status = "approved", amount = 5001 }
}

mock {
  operation = connector.orders.refund
  input     = { order_id = "LM222222" }
  error     = "rejected"
}

# Only orders still being processed can go to a new address.
mock {
  operation = connector.orders.update_address
  input     = { order_id = "CD654321" }
  output    = { status = "updated" }
}

mock {
  operation = connector.orders.update_address
  input     = { order_id = "GH500000" }
  output    = { status = "updated" }
}
