bot "b" {
  languages = ["en"]
}

intent "greet" {
  examples = ["hi", "hello", "hey", "yo", "hiya"]
}

test "greets" {
  turn {
    user        = "hi"
    reply_regex = "(unclosed" # ERROR: Invalid regular expression
  }
}
