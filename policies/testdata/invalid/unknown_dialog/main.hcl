bot "b" {
  languages = ["en"]
}

rule "r" {
  on    = handoff
  start = dialog.leave_mesage # ERROR: Unknown dialog
}
