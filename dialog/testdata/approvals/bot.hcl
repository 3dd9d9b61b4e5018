bot "approvals" {
  languages = ["en", "zh"]
}

intent "refund" {
  examples = ["I want a refund", "refund my order", "give me my money back", "refund please", "money back"]
}

intent "track" {
  examples = ["where is my order", "track my order", "order status", "where is my parcel", "track parcel"]
}

intent "human" {
  examples = ["talk to a person", "human please", "agent", "real person", "speak to someone"]
}

entity "order_id" {
  pattern = "[A-Z]{2}[0-9]{6}"
}

queue "general" {}

queue "supervisors" {
  priority = "high"
}

connector "orders" {
  type = "fixture"

  data = {
    orders = {
      AB123456 = { total = 8999 }
      CD654321 = { total = 120 }
    }
  }

  operation "get_order" {
    input  = { order_id = string }
    output = { total = number }
    lookup = "orders"
  }

  operation "refund" {
    input   = { order_id = string, amount = number }
    output  = { refund_id = string }
    respond = { refund_id = "RF-{order_id}" }
  }

  operation "refund_down" {
    input = { order_id = string, amount = number }
    fail  = "unavailable"
  }
}

dialog "refund" {
  trigger = [intent.refund]

  slot "order_id" {
    type   = order_id
    prompt = "Which order?"
  }

  call "order" {
    operation = connector.orders.get_order
    input     = { order_id = slot.order_id }
  }
}

rule "big" {
  on   = dialog.refund
  when = call.order.total > 5000

  call "refund" {
    operation       = connector.orders.refund
    input           = { order_id = slot.order_id, amount = call.order.total }
    idempotency_key = "refund-${slot.order_id}"

    approval {
      queue      = queue.supervisors
      reason     = "Refund of ${call.order.total} for ${slot.order_id}"
      expires_in = "2h"

      on_approve {
        reply = { en = "Approved: ${call.refund.refund_id} for ${slot.order_id}.", zh = "已批准：${call.refund.refund_id}。" }
      }
      on_reject {
        reply = "Sorry, the refund of ${call.order.total} for ${slot.order_id} was declined."
      }
    }
  }
  reply = "Refund ${slot.order_id} waits for a supervisor."
}

dialog "track" {
  trigger = [intent.track]

  slot "order_id" {
    type   = order_id
    prompt = "Order number?"
  }

  outcome "done" {
    call "broken" {
      operation = connector.orders.refund_down
      input     = { order_id = slot.order_id, amount = 1 }

      approval {
        queue  = queue.supervisors
        reason = "Test"
        on_approve {
          reply = "Never said"
        }
        on_expire {
          reply = "Expired."
        }
      }

      on_unavailable {
        reply = "The order system is down; nothing was refunded."
      }
    }
    reply = "Tracking ${slot.order_id}, pending approval."
  }
}

handoff "asked" {
  when  = intent.name == "human"
  queue = queue.general
  reply = "Connecting you."
}

tickets {
  notify {
    solved = { en = "Ticket ${ticket.id} (${ticket.subject}) is solved.", zh = "工单 ${ticket.id} 已解决。" }
  }
}
