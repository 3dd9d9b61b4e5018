bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["I want a refund", "refund my order", "give me my money back", "refund please", "money back"]
}

entity "order_id" {
  pattern = "[A-Z]{2}[0-9]{6}"
}

queue "general" {}

triage "nothing" { # ERROR: Triage without a condition
  queue = queue.general
}

triage "typos" {
  keywords = ["refund", ""] # ERROR: Empty keyword
  intents  = [intent.refnd] # ERROR: Unknown intent
  entities = [entity.order] # ERROR: Unknown entity
  queue    = queue.refunds  # ERROR: Unknown queue
  priority = "asap"         # ERROR: Invalid priority
}

triage "wrong_kinds" {
  intents = intent.refund # ERROR: Incorrect value type
  when    = message       # ERROR: Condition is not true or false
  queue   = queue.general
}

triage "typos" { # ERROR: Duplicate triage
  keywords = ["x"]
  queue    = queue.general
}
