bot "b" {
  languages = ["en"]
}

rule "r" {
  on    = handof # ERROR: Invalid rule event
  reply = "x"
}
