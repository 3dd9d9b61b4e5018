faq "visa_en" {
  question = "Do I need a visa for the tour?"
  answer   = "Most destinations need one; we can apply for you."
}
