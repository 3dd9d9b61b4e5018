bot "b" {
  languages = ["en"]
}

knowledge { # WARNING: Empty knowledge base
  threshold = 0.2
}
