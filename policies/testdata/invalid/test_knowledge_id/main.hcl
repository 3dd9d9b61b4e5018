bot "b" {
  languages = ["en"]
}

intent "hours" {
  examples = ["when are you open", "opening hours", "what time do you open", "are you open today", "hours please"]
}

answer "hours" {
  intent = intent.hours
  reply  = "We're open 9:00-17:00, Monday to Friday."
}

test "faq names without their file" {
  turn {
    user      = "do I need a visa?"
    knowledge = "visa_en" # WARNING: Not a knowledge chunk id
  }

  turn {
    user      = "what does the price include?"
    knowledge = "includes" # WARNING: Not a knowledge chunk id
  }

  turn {
    user      = "when are you open?"
    knowledge = "knowledge/faq.hcl#visa_en"
  }

  turn {
    user      = "hi"
    knowledge = "none"
  }
}
