# Human queues, and when the bot brings a person in.
# Policies are checked top to bottom on every message; the first that matches hands off.

queue "general" {
  skill = "customer_service"
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
}

queue "callbacks" {
  skill = "callbacks"
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
