# A fixture stand-in for examples/shop's "orders" connector (type http), so the
# dialog package's tests stay pure: Step is a function of the bot and its
# inputs, and these tests set the order data per conversation (withData).
# Same operations and inputs as examples/shop/connectors.hcl.

connector "orders" {
  type = "fixture"

  data = {
    orders = {
      AB123456 = { status = "shipped", carrier = "SF Express", eta = "2026-11-25", total = 320 }
      CD654321 = { status = "processing", carrier = "", eta = "2026-11-28", total = 1280 }
      EF111111 = { status = "delivered", carrier = "JD Logistics", eta = "2026-11-20", total = 8999 }
    }
  }

  operation "get_order" {
    input  = ["order_id"]
    lookup = "orders"
  }

  operation "refund" {
    input   = ["order_id", "amount", "reason"]
    respond = { refund_id = "RF-{order_id}", status = "approved", amount = "{amount}" }
  }

  operation "update_address" {
    input   = ["order_id", "address"]
    respond = { status = "updated" }
  }
}
