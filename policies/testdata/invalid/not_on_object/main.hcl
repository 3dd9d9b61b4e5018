bot "b" {
  languages = ["en"]
}

rule "after_hours" {
  on    = handoff
  when  = !business_hours # ERROR: Invalid operand
  reply = "We're closed."
}
