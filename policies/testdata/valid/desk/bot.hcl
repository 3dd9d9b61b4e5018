bot "desk" {
  languages = ["en", "zh"]
}

variable "limit" {
  value = 5000
}

intent "refund" {
  examples = ["I want a refund", "refund my order", "give me my money back", "refund please", "money back", "我要退款"]
}

intent "invoice" {
  examples = ["where is my invoice", "send me an invoice", "I need a receipt", "invoice please", "billing question", "我要发票"]
}

entity "order_id" {
  pattern = "[A-Z]{2}[0-9]{6}"
}

connector "shop" {
  type = "plain"

  operation "get_order" {
    input  = { order_id = string }
    output = { total = number }
  }

  operation "refund" {
    input  = { order_id = string, amount = number }
    output = { refund_id = string }
  }
}

queue "general" {
  skill = "customer_service"

  sla {
    urgent = "2h"
    high   = "8h"
    normal = "24h"
    low    = "72h"
  }
}

queue "supervisors" {
  skill    = "refund_approval"
  priority = "high"
}

queue "refunds" {
  sla {
    normal = "48h"
  }
}

dialog "refund" {
  trigger = [intent.refund]

  slot "order_id" {
    type   = order_id
    prompt = "Which order?"
  }

  call "order" {
    operation = connector.shop.get_order
    input     = { order_id = slot.order_id }
  }

  outcome "small" {
    reply = "Refunded."
  }
}

rule "big_refund" {
  on   = dialog.refund
  when = call.order.total > var.limit

  call "refund" {
    operation       = connector.shop.refund
    input           = { order_id = slot.order_id, amount = call.order.total }
    idempotency_key = "refund-${slot.order_id}"

    approval {
      queue      = queue.supervisors
      role       = "supervisor"
      reason     = "Refund of ${call.order.total} for ${slot.order_id} is over ${var.limit}"
      expires_in = "48h"

      on_approve {
        reply = "Approved: refund ${call.refund.refund_id} for ${slot.order_id}."
      }
      on_reject {
        reply = { en = "Sorry, the refund for ${slot.order_id} was declined.", zh = "抱歉，退款未获批准。" }
      }
      on_expire {
        reply = "Nobody could approve it in time."
        ticket {
          queue       = queue.refunds
          subject     = "Refund approval expired: ${slot.order_id}"
          description = "Amount ${call.order.total}"
        }
      }
    }

    on_rejected {
      reply = "The order system refused the refund."
    }
  }
  reply = "A supervisor will look at your refund."
}

tickets {
  default_queue = queue.general

  notify {
    created  = response.ticket_received
    pending  = response.ticket_pending
    solved   = { en = "Ticket ${ticket.id} is solved.", zh = "工单 ${ticket.id} 已解决。" }
    reopened = "Ticket ${ticket.id} (${ticket.subject}) is open again."
  }
}

triage "refunds" {
  description = "Refund requests that name an order"
  keywords    = ["refund", "退款"]
  entities    = [entity.order_id]
  queue       = queue.refunds
  priority    = "high"
}

triage "invoices" {
  intents = [intent.invoice]
  when    = !contains(lower(message), "urgent")
  queue   = queue.general
}

response "ticket_received" {
  en = "We got your request: ticket ${ticket.id}, in ${ticket.queue} (${ticket.priority})."
  zh = "已收到您的请求，工单号 ${ticket.id}。"
}

response "ticket_pending" {
  en = "Ticket ${ticket.id} is waiting for your answer."
  zh = "工单 ${ticket.id} 在等您回复。"
}

test "big refund waits for approval" {
  turn {
    user     = "refund AB123456"
    approval = queue.supervisors
    calls    = [connector.shop.get_order]
  }

  turn {
    decision = "approved"
    calls    = [connector.shop.refund]
  }
}

test "what each decision on a big refund does" {
  for_each = {
    approved = [connector.shop.refund]
    rejected = []
    expired  = []
  }

  turn {
    user     = "refund AB123456"
    approval = queue.supervisors
  }

  turn {
    decision = each.key
    calls    = each.value
  }
}
