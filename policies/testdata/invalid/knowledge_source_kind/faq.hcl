faq "hours" {
  question = "When are you open?"
  answer   = "9 to 6."
}
