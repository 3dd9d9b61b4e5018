bot "b" {
  languages = ["en"]
}

intent "greet" {
  descripton = "Saying hello" # ERROR: Unsupported argument
  examples   = ["hi", "hello", "hey", "yo", "hiya"]
}
