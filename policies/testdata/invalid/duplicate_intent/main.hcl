bot "b" {
  languages = ["en"]
}

intent "greet" {
  examples = ["hi", "hello", "hey", "yo", "hiya"]
}

intent "greet" { # ERROR: Duplicate intent
  examples = ["good morning", "good day", "morning", "evening", "good evening"]
}
