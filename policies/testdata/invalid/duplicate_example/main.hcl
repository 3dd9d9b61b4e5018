bot "b" {
  languages = ["en"]
}

intent "greet" {
  examples = ["hi", "hello", "hey", "yo", "hiya"]
}

intent "goodbye" {
  examples = [
    "bye",
    "Hello ", # ERROR: Duplicate example
    "see you",
    "goodbye",
    "later",
  ]
}
