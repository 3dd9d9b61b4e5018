bot "b" {
  languages = ["en"]
}

intent "top_up" {
  examples = ["top up", "top up my phone", "add credit", "recharge", "buy more credit"]
}

# Each mistake is reported where it is written, and the dialog is not also
# reported as one that can never start.
dialog "not_a_list" {
  trigger = intent.top_up # ERROR: Incorrect value type

  outcome "done" {
    reply = "Done."
  }
}

dialog "quoted" {
  trigger = ["top_up"] # ERROR: Expected an intent reference

  outcome "done" {
    reply = "Done."
  }
}

dialog "quoted_not_a_list" {
  trigger = "top_up" # ERROR: Incorrect value type

  outcome "done" {
    reply = "Done."
  }
}

rule "quoted_event" {
  on    = "handoff" # ERROR: Invalid rule event
  reply = "x"
}
