# Human queues, and when the bot brings a person in.
# Policies are checked top to bottom on every message; the first that matches hands off.
# A queue's sla block says how soon its tickets must be solved, per priority;
# a ticket past its due time is flagged, counted and shown in the console.

queue "general" {
  skill = "customer_service"

  sla {
    urgent = "4h"
    high   = "8h"
    normal = "24h"
    low    = "72h"
  }
}

queue "priority" {
  skill    = "customer_service"
  priority = "high"
}

queue "vip" {
  skill    = "vip_care"
  priority = "urgent"
}

queue "supervisors" {
  skill    = "refund_approval"
  priority = "high"
}

queue "refund_review" {
  skill = "refunds"

  sla {
    urgent = "2h"
    high   = "8h"
    normal = "48h"
  }
}

queue "callbacks" {
  skill = "callbacks"

  sla {
    normal = "24h"
  }
}

# Tickets that come without a chat (email, the web form, POST /v1/tickets) go
# to the first triage block that matches, else to default_queue. The notify
# block says what customers are told as their tickets move on.
tickets {
  default_queue = queue.general

  notify {
    created  = response.ticket_received
    pending  = response.ticket_pending
    solved   = response.ticket_solved
    reopened = response.ticket_reopened
  }
}

triage "damaged_with_order" {
  description = "A damaged or wrong item with an order number: the refunds team, quickly"
  keywords    = ["broken", "damaged", "cracked", "wrong item", "坏了", "破损", "发错"]
  entities    = [entity.order_id]
  queue       = queue.refund_review
  priority    = "high"
}

triage "refunds" {
  intents  = [intent.refund]
  queue    = queue.refund_review
  priority = "normal"
}

triage "angry" {
  description = "Threats of complaints or lawyers go to the priority queue"
  keywords    = ["lawyer", "complaint", "unacceptable", "投诉", "律师"]
  queue       = queue.priority
  priority    = "urgent"
}

handoff "vip" {
  description = "VIP customers who ask for a person get the VIP team"
  when        = customer.vip && intent.name == "human"
  queue       = queue.vip
  reply       = response.handoff_vip
  share       = ["transcript", "slots", "summary"] # what the agent receives (this is the default)
  summary     = "VIP customer ${customer.name} asked for a person"
}

handoff "asked_for_human" {
  when  = intent.name == "human"
  queue = queue.general
  reply = response.handoff_general
}

handoff "angry" {
  description = "Very negative messages go to the priority queue"
  when        = sentiment <= -0.6
  queue       = queue.priority
  priority    = "high"
  reply       = response.handoff_angry
}

handoff "stuck" {
  description = "The bot failed to understand three times in a row"
  when        = conversation.failures >= 3
  queue       = queue.general
  reply       = response.handoff_stuck
}
