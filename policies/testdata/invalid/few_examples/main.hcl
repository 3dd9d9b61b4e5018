bot "b" {
  languages = ["en"]
}

intent "greet" { # WARNING: Few examples
  examples = ["hi", "hello"]
}
