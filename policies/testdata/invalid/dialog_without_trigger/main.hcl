bot "b" {
  languages = ["en"]
}

dialog "lonely" { # ERROR: Dialog can never start
  slot "x" {
    type   = text
    prompt = "x?"
  }
}
