# Dialogs: conversations that collect what the bot needs, then act.
# Slots are asked in order; a customer may give several at once, correct one
# ("actually it's order CD654321"), ask something else in between, or cancel.

# The order number and the order lookup, defined once and used by every
# dialog below with slot "order_id" {} and call "order" {}.
slot "order_id" {
  type     = order_id
  prompt   = response.ask_order_id
  invalid  = response.invalid_order_id
  retries  = 2
  remember = true # "Can you refund it?" after tracking an order refunds that order

  on_exhausted {
    reply   = response.handoff_general
    handoff = queue.general
  }
}

call "order" {
  operation = connector.orders.get_order
  input     = { order_id = slot.order_id }

  on_not_found {
    reply = response.order_not_found
    reask = slot.order_id
  }

  # The order system is down (or the bot stopped calling it for a while, see
  # circuit_breaker in connectors.hcl), or too slow even after the retries:
  # say so, and leave a ticket so that a colleague gets back to the customer.
  on_error {
    codes = ["unavailable", "timeout"]
    ticket {
      queue   = queue.general
      subject = "Order system unavailable: get back to the customer about ${slot.order_id}"
    }
    reply = response.orders_unavailable
  }
}

dialog "track_order" {
  description = "Tell the customer where an order is"
  trigger     = [intent.track_order]
  title       = { en = "tracking your order", zh = "查询订单" }

  slot "order_id" {}
  call "order" {}

  outcome "shipped" {
    when  = call.order.status == "shipped"
    reply = response.order_shipped
  }

  outcome "other" {
    reply = response.order_status
  }
}

dialog "refund" {
  description = "Refund an order. The refund rules in rules.hcl decide what happens."
  trigger     = [intent.refund]
  title       = { en = "your refund", zh = "退款" }

  slot "order_id" {}
  call "order" {}

  slot "reason" {
    type   = refund_reason
    prompt = response.ask_refund_reason
  }

  slot "damage" {
    type          = text
    required_when = slot.reason == "damaged"
    prompt = {
      en = "I'm sorry it arrived damaged. Could you describe the damage in a few words?"
      zh = "很抱歉商品有损坏。能简单描述一下损坏情况吗？"
    }
  }

  slot "product" {
    type     = product
    optional = true # kept when the customer mentions it, never asked for
  }

  confirm {
    prompt = response.confirm_refund
    on_no {
      reply = response.refund_kept
    }
  }
}

dialog "change_address" {
  description = "Change the delivery address of an order that has not shipped"
  trigger     = [intent.change_address]
  title       = { en = "your address change", zh = "修改地址" }

  slot "order_id" {}
  call "order" {}

  slot "address" {
    type          = text
    required_when = call.order.status == "processing"
    prompt        = response.ask_address
    validate      = length(trimspace(slot.address)) >= 10
    invalid       = response.address_too_short
    retries       = 2

    on_exhausted {
      reply = response.address_give_up
    }
  }

  confirm {
    when   = call.order.status == "processing"
    prompt = response.confirm_address
  }

  outcome "already_shipped" {
    when  = call.order.status != "processing"
    reply = response.address_too_late
  }

  outcome "update" {
    call "update" {
      operation = connector.orders.update_address
      input     = { order_id = slot.order_id, address = slot.address }

      on_error { # down, slow, or it shipped meanwhile: a colleague sorts it out
        ticket {
          queue   = queue.general
          subject = "Address change not saved for ${slot.order_id}: ${slot.address}"
        }
        reply = response.address_not_updated
      }
    }
    reply = response.address_updated
  }
}

dialog "leave_message" {
  description = "Take a message for a call back"
  trigger     = [intent.leave_message]
  title       = { en = "your message", zh = "留言" }

  slot "phone" {
    type    = phone
    prompt  = response.ask_phone
    invalid = response.invalid_phone
    retries = 2

    on_exhausted {
      reply = response.error
    }
  }

  slot "message" {
    type   = text
    prompt = response.ask_message
  }

  outcome "taken" {
    ticket {
      queue    = queue.callbacks
      subject  = "Call back ${mask(slot.phone)}: ${slot.message}"
      priority = customer.vip ? "high" : "normal"
    }
    reply = response.message_taken
  }
}
