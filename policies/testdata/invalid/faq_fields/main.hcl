bot "b" {
  languages = ["zh", "en"]
}

# Written like a response, with a text per language: one error each, naming
# the fix, and no "Empty question" on top.
faq "hours" {
  question = { zh = "几点上班？", en = "When are you open?" } # ERROR: One language per FAQ
  answer   = { zh = "工作日 9 点到 18 点。", en = "9 to 6 on weekdays." } # ERROR: One language per FAQ
}

faq "delivery" {
  question = ["How long is delivery?", "When will it arrive?"] # ERROR: Incorrect value type
  answer   = "" # ERROR: Empty answer
}

# Named for one language already: the suggestion keeps the stem.
faq "hours_zh" {
  question = "几点上班？"
  answer   = { zh = "工作日 9 点到 18 点。", en = "9 to 6 on weekdays." } # ERROR: One language per FAQ
}
