bot "b" {
  languages = ["en"]
}

bot "other" { # ERROR: Duplicate bot block
  languages = ["en"]
}
