bot "b" {
  languages = ["en"]

  survey {
    after_bot = 0
  }
}

intent "hours" {
  examples = ["when are you open", "opening hours", "what time do you open", "are you open today", "hours please"]
}

test "surveyed" {
  survey = true # ERROR: Survey never asked

  turn {
    user = "when are you open"
  }
}

test "not surveyed" {
  survey = false

  turn {
    user = "when are you open"
  }
}
