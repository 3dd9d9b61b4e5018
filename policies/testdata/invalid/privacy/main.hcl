bot "b" {
  languages = ["en"]

  privacy {
    mask = ["email", "phon", "member_id"] # ERROR: Unknown personal data
  }
}

entity "member_id" {
  values = { gold = ["gold member"] }
}
