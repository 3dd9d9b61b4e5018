bot "b" {
  languages = ["en"]
}

intnet "greet" { # ERROR: Unsupported block type
  examples = ["hi"]
}
