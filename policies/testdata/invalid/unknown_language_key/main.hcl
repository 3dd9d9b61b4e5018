bot "b" {
  languages = ["en"]
}

response "bye" {
  en  = "Bye"
  eng = "Bye" # ERROR: Unknown language
}
