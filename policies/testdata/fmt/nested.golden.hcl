dialog "refund" {
  trigger = [intent.refund]
  slot "order_id" {
    type    = order_id
    retries = 2
    on_exhausted {
      reply   = response.handoff_general
      handoff = queue.general
    }
  }
  call "order" {
    operation = connector.orders.get_order
    input     = { order_id = slot.order_id, note = "a" }
  }
  outcome "shipped" {
    when  = call.order.status == "shipped" && slot.order_id != ""
    reply = "Order ${slot.order_id} shipped ${upper(call.order.carrier)}"
  }
}
