# Tickets that come without a chat (email, the web form, POST /v1/tickets):
# which triage block takes each, and what the customer is told.

test "a damaged lamp by email goes to the refunds team, quickly" {
  ticket {
    subject  = "Lamp arrived broken"
    text     = "Order AB123456 arrived damaged"
    channel  = "email"
    triage   = triage.damaged_with_order
    queue    = queue.refund_review
    priority = "high"
    entities = { order_id = "AB123456" }
    notice   = response.ticket_received
  }
}

test "where tickets go" {
  for_each = {
    "damaged, order number" = { text = "My headphones arrived broken, order AB123456", triage = triage.damaged_with_order, queue = queue.refund_review, priority = "high" }
    "damaged, in Chinese"   = { text = "订单AB123456的耳机坏了", triage = triage.damaged_with_order, queue = queue.refund_review, priority = "high" }
    "damaged, no order"     = { text = "The screen is cracked", triage = "none", queue = queue.general, priority = "normal" }
    "a refund"              = { text = "I want a refund for my order", triage = triage.refunds, queue = queue.refund_review, priority = "normal" }
    "a complaint"           = { text = "This is unacceptable, I will file a complaint", triage = triage.angry, queue = queue.priority, priority = "urgent" }
    "a lawyer, in Chinese"  = { text = "我要找律师投诉你们", triage = triage.angry, queue = queue.priority, priority = "urgent" }
    "anything else"         = { text = "Do you sell gift cards?", triage = "none", queue = queue.general, priority = "normal" }
  }

  ticket {
    text     = each.value.text
    triage   = each.value.triage
    queue    = each.value.queue
    priority = each.value.priority
  }
}

test "a ticket from the web form without a subject" {
  ticket {
    text    = "Where is my invoice for order CD654321?\nI need it for my expenses."
    channel = "form"
    triage  = "none"
    queue   = queue.general
    notice  = response.ticket_received
  }
}
