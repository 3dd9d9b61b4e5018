bot "b" {
  languages = ["en"]

  survey {
    after_bot = 0.2
  }
}

intent "hours" {
  examples = ["when are you open", "opening hours", "what time do you open", "are you open today", "hours please"]
}

intent "human" {
  examples = ["talk to a human", "I want a person", "real agent please", "connect me to an agent", "speak to someone"]
}

queue "general" {}

answer "hours" {
  intent = intent.hours
  reply  = "9 to 5."
}

dialog "human" {
  trigger = [intent.human]

  outcome "handed" {
    reply   = "Passing you on."
    handoff = queue.general
  }
}

test "nobody is involved" {
  survey = true

  turn {
    user     = "when are you open"
    handoff  = "none"
    ticket   = "none"
    approval = "none"
    dialog   = "none"
  }
}

test "never surveyed" {
  survey = false

  turn {
    user  = "when are you open"
    reply = "9 to 5."
  }
}

test "handed off or not" {
  for_each = {
    hours = { user = "when are you open", handoff = "none" }
    human = { user = "talk to a human", handoff = queue.general }
    named = { user = "speak to someone", handoff = "general" }
  }
  survey = each.key == "hours"

  turn {
    user    = each.value.user
    handoff = each.value.handoff
    ticket  = "none"
  }
}
