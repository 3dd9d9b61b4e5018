# Connectors: the systems the bot talks to. "orders" is the shop's order and
# refund system, a REST API reached with the built-in "http" connector. For demos
# it is the stand-in service in backend/ (make run starts both). The conversation
# tests answer its calls from mocks (tests/mocks.hcl); `parley test -live` runs
# them against the service instead, and make test does both.
#
# The bot never waits long, never charges twice and never hammers a system that
# is down:
#   - timeout: each attempt gives up after 3 seconds; a customer is waiting.
#   - retry: a failed or slow attempt is tried again, but only when that is safe:
#     reads (GET), the address change (PUT sets the same address again), and the
#     refund, because it sends an idempotency key the order system deduplicates:
#     a retry after a timeout that actually went through returns the first
#     refund instead of refunding again.
#   - circuit_breaker: after 5 failures in a row the bot stops calling for 30
#     seconds and tells customers at once (on_unavailable in dialogs.hcl) instead
#     of making each one wait for timeouts; then one trial call checks whether the
#     system is back.

connector "orders" {
  type         = "http"
  description  = "Orders and refunds"
  base_url     = "http://127.0.0.1:8090"
  base_url_env = "SHOP_API_URL" # when set, used instead of base_url
  timeout      = "3s"

  retry {
    attempts    = 3       # in all, the first included
    backoff     = "200ms" # wait before the second attempt, doubled after
    max_backoff = "1s"
  }

  circuit_breaker {
    failures = 5
    cooldown = "30s"
  }

  operation "get_order" {
    description = "Look an order up by its number"
    input       = { order_id = string }
    output      = { status = string, carrier = string, eta = string, total = number }
    method      = "GET"
    path        = "/orders/{order_id}"
    result      = { status = "order.status", carrier = "order.carrier", eta = "order.eta", total = "order.total" }
  }

  operation "refund" {
    description = "Refund an order. Sends the call's idempotency_key as Idempotency-Key."
    input       = { order_id = string, amount = number, reason = optional(string) }
    output      = { refund_id = string, status = string, amount = number }
    method      = "POST"
    path        = "/orders/{order_id}/refunds"
    body        = { amount = "{amount}", reason = "{reason}" }
    result      = { refund_id = "refund.id", status = "refund.status", amount = "refund.amount" }
    rejected    = [409, 422] # already refunded, or more than is left to refund
  }

  operation "update_address" {
    description = "Change the delivery address of an order that has not shipped"
    input       = { order_id = string, address = string }
    output      = { status = string }
    method      = "PUT"
    path        = "/orders/{order_id}/address"
  }
}
