bot "b" {
  languages = ["en"]
}

intent "hours" {
  examples = ["when are you open", "opening hours", "what time do you open", "are you open today", "hours please"]
}

queue "general" {}

test "null is not none" {
  survey = true # ERROR: Survey never asked

  turn {
    user     = "when are you open"
    intent   = null # ERROR: Expected an intent reference
    handoff  = null # ERROR: Expected a queue reference
    ticket   = null # ERROR: Expected a queue reference
    approval = null # ERROR: Expected a queue reference
  }
}

test "other words" {
  survey = "yes" # ERROR: Incorrect value type

  turn {
    user     = "when are you open"
    handoff  = "nobody"   # ERROR: Expected a queue reference
    ticket   = queue.none # WARNING: Reference read as "none"
    approval = "general"  # ERROR: Expected a queue reference
  }

  turn {
    user     = "thanks"
    response = "none" # ERROR: "none" is not taken by response
  }
}

test "a table" {
  for_each = {
    a = { ticket = "none" }
    b = { ticket = null }
  }

  turn {
    user   = "when are you open"
    ticket = each.value.ticket # ERROR: Incorrect value type
  }
}
