bot "b" {
  languages = ["en"]
}

# A stranger marks the value with the slot it fills; the hint names the
# slot's type, which is what an annotation takes.
intent "change_dates" {
  examples = [
    "change my dates",
    "move my stay to [from May 1 to May 5](stay)", # ERROR: Unknown entity
    "I need other dates",
    "reschedule my booking",
    "change the check-in date",
  ]
}

dialog "change_dates" {
  trigger = [intent.change_dates]

  slot "stay" {
    type   = date_range
    prompt = "Which dates?"
  }

  outcome "changed" {
    reply = "Done."
  }
}
