bot "b" {
  languages = ["en"]
}

faq "hours" {
  question = "When are you open?"
  answer   = "9 to 6 on weekdays."
}

response "kb" {
  en = "${knowledge.answer}"
}

knowledge {
  reply = response.kb_answer # ERROR: Unknown response
}

# An inline reply is checked in place, like any other message.
answer "unknown_field" {
  intent = intent.hi
  reply  = "${knowledge.text}" # ERROR: Unknown attribute
}

intent "hi" {
  examples = ["hi", "hello", "hey", "good morning", "hi there"]
}
