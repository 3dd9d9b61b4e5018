bot "b" {
  languages = ["en"]
}

entity "money" { # ERROR: Entity shadows a builtin type
  pattern = "[0-9]+ dollars"
}
