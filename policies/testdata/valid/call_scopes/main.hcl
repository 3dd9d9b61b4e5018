# Every place a call's result exists: a dialog's own call in the whole dialog
# and in what runs when it completes; a rule's or outcome's call after it, in
# its later calls, ticket, reply and handlers; an approved call in on_approve.

bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["refund", "I want a refund", "money back", "refund please", "give me my money back"]
}

connector "orders" {
  type = "plain"

  operation "get_order" {
    input  = { order_id = string }
    output = { total = number, status = string }
  }

  operation "refund" {
    input  = { order_id = string }
    output = { refund_id = string }
  }
}

queue "supervisors" {}

response "refund_done" {
  en = "Refunded ${call.order.total}: ${call.refund_order.refund_id}."
}

dialog "refund" {
  trigger = [intent.refund]

  slot "order_id" {
    type   = text
    prompt = "Order?"
  }

  call "order" {
    operation = connector.orders.get_order
    input     = { order_id = slot.order_id }

    on_not_found {
      reply = "No order ${slot.order_id} (${call.order.error})."
      reask = slot.order_id
    }
  }

  confirm {
    prompt = "Refund ${call.order.total}?"
  }

  outcome "done" {
    when = call.order.status == "delivered"
    call "refund_order" {
      operation = connector.orders.refund
      input     = { order_id = slot.order_id }
    }
    reply = response.refund_done
  }

  outcome "other" {
    reply = "Order ${slot.order_id} is ${call.order.status}."
  }
}

rule "auto_refund" {
  on   = dialog.refund
  when = call.order.total < 50

  call "refund_order" {
    operation = connector.orders.refund
    input     = { order_id = slot.order_id }

    on_error {
      reply = "The refund failed: ${call.refund_order.error}."
    }
  }
  call "receipt" {
    operation = connector.orders.refund
    input     = { order_id = call.refund_order.refund_id }
  }
  ticket {
    queue   = queue.supervisors
    subject = "Refunded ${call.refund_order.refund_id}, receipt ${call.receipt.refund_id}"
  }
  reply = response.refund_done
}

rule "supervisor" {
  on   = dialog.refund
  when = call.order.total > 1000

  call "big_refund" {
    operation = connector.orders.refund
    input     = { order_id = slot.order_id }

    approval {
      queue  = queue.supervisors
      reason = "Refund of ${call.order.total}"
      on_approve {
        reply = "Refunded: ${call.big_refund.refund_id}."
      }
      on_reject {
        reply = "A supervisor declined the refund of ${call.order.total}."
      }
    }
  }
  reply = "A supervisor will decide about ${call.order.total}."
}
