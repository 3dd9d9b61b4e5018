bot "tickets" {
  languages = ["en", "zh"]
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

queue "general" {}

queue "refunds" {}

queue "vip" {}

tickets {
  default_queue = queue.general

  notify {
    created = response.ticket_received
  }
}

triage "refunds" {
  keywords = ["refund", "退款"]
  entities = [entity.order_id]
  queue    = queue.refunds
  priority = "high"
}

triage "by_email" {
  when  = conversation.channel == "email" && intent.name == "invoice"
  queue = queue.vip
}

response "ticket_received" {
  en = "We got your request: ticket ${ticket.id}."
  zh = "已收到您的请求，工单号 ${ticket.id}。"
}

test "a refund with an order number goes to the refunds team" {
  now = "2026-11-23T10:00:00Z"

  ticket {
    subject  = "Refund"
    text     = "Please refund order AB123456"
    channel  = "email"
    triage   = triage.refunds
    queue    = queue.refunds
    priority = "high"
    intent   = intent.refund
    entities = { order_id = "AB123456" }
    notice   = response.ticket_received
  }

  ticket {
    text   = "hello there"
    triage = "none"
    queue  = queue.general
    intent = "none"
  }
}

test "where tickets go" {
  for_each = {
    refund  = { text = "refund AB123456", triage = triage.refunds, priority = "high" }
    invoice = { text = "send me an invoice", triage = "by_email", priority = "normal" }
    other   = { text = "hi", triage = "none", priority = "normal" }
  }

  ticket {
    subject  = each.key
    text     = each.value.text
    channel  = "email"
    triage   = each.value.triage
    priority = each.value.priority
  }
}
