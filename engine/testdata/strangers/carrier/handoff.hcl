queue "general" {
  skill = "customer_service"
}

queue "billing" {
  skill = "billing"
}

queue "supervisors" {
  skill    = "billing_approval"
  priority = "high"
}

queue "network" {
  skill = "network"
}

handoff "angry" {
  when     = sentiment <= -0.6
  queue    = queue.general
  priority = "high"
  reply    = response.handoff_angry
}

handoff "asked_for_human" {
  when  = intent.name == "human"
  queue = queue.general
  reply = response.handoff
}

answer "greet" {
  intent   = intent.greet
  reply    = response.greet
  resolves = false
}

answer "goodbye" {
  intent = intent.goodbye
  reply  = response.goodbye
  end    = true
}

answer "roaming_prices" {
  intent = intent.roaming_prices
  reply  = response.roaming_prices
}

answer "check_bill" {
  intent = intent.check_bill
  reply  = response.check_bill
}

knowledge {
  threshold = 0.2
}

answer "check_data" {
  intent = intent.check_data
  reply  = response.check_data
}
