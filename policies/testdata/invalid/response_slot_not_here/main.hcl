bot "b" {
  languages = ["en"]
}

intent "repair" {
  examples = ["my tap is dripping", "report a repair", "the boiler is broken", "fix my sink", "repair please"]
}

intent "noise" {
  examples = ["my neighbours are loud", "noise complaint", "loud music next door", "the dog barks all night", "too noisy"]
}

response "repair_booked" {
  en = "Booked for ${format_date(slot.visit_date, "Monday 2 January")}."
}

dialog "repair" {
  trigger = [intent.repair]

  slot "visit_date" {
    type   = date
    prompt = "Which day suits you?"
  }

  outcome "booked" {
    reply = response.repair_booked
  }
}

dialog "noise" {
  trigger = [intent.noise]

  slot "details" {
    type   = text
    prompt = "What's the noise?"
  }

  outcome "logged" {
    reply = response.repair_booked # WARNING: Response reads a slot that is not here
  }
}
