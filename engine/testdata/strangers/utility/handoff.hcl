queue "general" {
  skill = "customer_service"
}

queue "faults" {
  skill    = "network_faults"
  priority = "high"
}

queue "emergency" {
  skill    = "gas_emergency"
  priority = "urgent"
}

queue "billing" {
  skill = "billing"
}

queue "supervisors" {
  skill    = "billing_approval"
  priority = "high"
}

handoff "gas_emergency" {
  description = "A gas smell is an emergency: always a person, even after hours"
  when        = intent.name == "gas_emergency"
  queue       = queue.emergency
  priority    = "urgent"
  reply       = response.gas_emergency
}

handoff "asked_for_human" {
  when  = intent.name == "human"
  queue = queue.general
  reply = response.handoff_general
}

handoff "keeps_failing" {
  when  = conversation.failures >= 3
  queue = queue.general
  reply = response.handoff_general
}
