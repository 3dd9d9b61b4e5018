bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["I want a refund", "refund my order", "give me my money back", "refund please", "money back"]
}

queue "general" {}

queue "billing" {}

triage "refunds" {
  intents = [intent.refund]
  queue   = queue.general
}

response "hi" {
  en = "Hi"
}

test "typos" {
  ticket {
    text     = "refund"
    triage   = triage.refund   # ERROR: Unknown triage block
    queue    = queue.refunds   # ERROR: Unknown queue
    priority = "asap"          # ERROR: Invalid priority
    intent   = intent.refnd    # ERROR: Unknown intent
    notice   = response.hello  # ERROR: Unknown response
    channel  = "e mail"        # ERROR: Invalid channel
    reply    = "x"             # ERROR: Unsupported argument
  }
}

test "wrong shapes" {
  ticket { # ERROR: Ticket without text
    subject = " "
  }

  ticket {
    text     = "refund"
    priority = high          # ERROR: Missing quotes
    triage   = null          # ERROR: Expected a triage block reference
    queue    = "none"        # ERROR: Expected a queue reference
    entities = ["order_id"]  # ERROR: Incorrect value type
  }
}

test "conversation settings" {
  language = "en" # ERROR: Not used by a test of tickets
  survey   = true # ERROR: Not used by a test of tickets

  mock { # ERROR: Not used by a test of tickets
    operation = connector.x.y
  }

  ticket {
    text = "refund"
  }
}

test "mixed" {
  channel = "web"

  turn {
    user = "hi"
  }

  ticket { # ERROR: Turns and tickets in one test
    text = "refund"
  }
}

test "table" {
  for_each = {
    a = { triage = "refunds" }
    b = { triage = "nope" }
  }

  ticket {
    text   = "refund"
    triage = each.value.triage # ERROR: Unknown triage block
  }
}

test "expectations that can't hold together" {
  ticket { # ERROR: Ticket expectations disagree
    text     = "refund"
    triage   = triage.refunds
    queue    = queue.billing
    priority = "high"
  }

  ticket { # ERROR: Ticket expectations disagree
    text   = "hello"
    triage = "none"
    queue  = queue.billing
  }

  ticket { # ERROR: Notice never sent
    text   = "hello"
    notice = response.hi
  }
}
