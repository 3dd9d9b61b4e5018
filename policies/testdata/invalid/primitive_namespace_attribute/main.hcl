bot "b" {
  languages = ["en"]
}

queue "general" {}

handoff "upset" {
  when  = sentiment.score <= -0.6 # ERROR: Unknown attribute
  queue = queue.general
}

rule "sunday" {
  on    = message
  when  = now.weekday == "Sunday" # ERROR: Unknown attribute
  reply = "We're closed on Sundays."
}
