# Connectors: the systems the bot talks to. "fixture" answers from data written here,
# which is what tests and demos use; connector types for real systems are Go code
# (connectors/README.md) declared the same way, with their own settings.

connector "orders" {
  type    = "fixture"
  timeout = "5s"

  data = {
    orders = {
      AB123456 = { status = "shipped", carrier = "SF Express", eta = "2026-11-25", total = 320, email = "ann@example.com" }
      CD654321 = { status = "processing", carrier = "", eta = "2026-11-28", total = 1280, email = "bo@example.com" }
      EF111111 = { status = "delivered", carrier = "JD Logistics", eta = "2026-11-20", total = 8999, email = "cy@example.com" }
    }
  }

  operation "get_order" {
    description = "Look an order up by its number"
    input       = ["order_id"]
    lookup      = "orders" # find input.order_id in data.orders
  }

  operation "refund" {
    description = "Issue a refund"
    input       = ["order_id", "amount"]
    respond     = { refund_id = "RF-{order_id}", status = "approved" } # {name} is replaced by that input
  }

  operation "update_address" {
    input   = ["order_id", "address"]
    respond = { status = "updated" }
  }
}
