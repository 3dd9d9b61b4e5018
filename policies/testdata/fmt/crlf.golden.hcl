intent "greet" {
  examples = [
    "hi",
    "hello",
  ]
}

intent "bye" {
  examples = ["bye"]
}
