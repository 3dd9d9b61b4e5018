bot "b" {
  languages = ["en"]
}

response "kb" {
  en = "${knowledge.answer} (${knowledge.titel})" # ERROR: Unknown attribute
}

response "score" {
  en = "${knowledge.score + "x"}" # ERROR: Invalid operand
}

knowledge {
  sources = [
    "docs/*.md",
    "", # ERROR: Invalid knowledge source
    "../secrets/*.md", # ERROR: Invalid knowledge source
    "/etc/*.md", # ERROR: Invalid knowledge source
    "docs/[.md", # ERROR: Invalid knowledge source
  ]
  reply = response.kb
}

test "expectations" {
  turn {
    user      = "hi"
    knowledge = "" # ERROR: Empty knowledge expectation
  }
  turn {
    user       = "hi"
    unanswered = "maybe" # ERROR: Incorrect value type
  }
}
