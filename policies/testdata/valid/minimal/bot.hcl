bot "minimal" {
  languages = ["en"]
}
