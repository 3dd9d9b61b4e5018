# A small bot for the inbox tests: two queues with skills, and a way to ask for a person.
bot "inbox" {
  languages = ["en", "zh"]
}

intent "track" {
  examples = ["where is my order", "track my order", "order status", "where is my parcel", "track parcel"]
}

intent "human" {
  examples = ["talk to a person", "human please", "I want an agent", "real person please", "speak to someone"]
}

queue "general" {
  skill = "general"
}

queue "billing" {
  skill    = "billing"
  priority = "high"
}

dialog "track" {
  trigger = [intent.track]

  slot "order" {
    type   = text
    prompt = "Order number?"
  }

  outcome "done" {
    reply = "Order ${slot.order} is on its way."
  }
}

handoff "vip" {
  when     = customer.vip == true
  queue    = queue.general
  priority = "urgent"
  reply    = "A colleague will be with you right away."
}

handoff "asked" {
  when  = intent.name == "human"
  queue = queue.general
  reply = "Connecting you to a colleague."
}

# The routing tests let the router give conversations to online agents.
inbox {
  auto_assign = true
}
