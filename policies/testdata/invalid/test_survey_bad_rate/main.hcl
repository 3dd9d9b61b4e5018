bot "b" {
  languages = ["en"]

  survey {
    after_bot = 2 # ERROR: Invalid survey rate
  }
}

intent "hours" {
  examples = ["when are you open", "opening hours", "what time do you open", "are you open today", "hours please"]
}

# The survey block's mistake is the root cause: survey = true is not also
# reported as a survey the bot never asks.
test "surveyed" {
  survey = true

  turn {
    user = "when are you open"
  }
}
