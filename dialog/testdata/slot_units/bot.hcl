# Numbers with a unit go to the slot named, or asked, for it: weeks asked
# in days are 7 days each, "4 people" are no nights, "5 boxes" no bags.
bot "units" {
  languages = ["zh", "en"]
}

intent "rent" {
  examples = ["租车", "rent a car"]
}

dialog "rent" {
  trigger = [intent.rent]

  slot "rental_days" {
    type     = number
    prompt   = { zh = "租几天？", en = "For how many days?" }
    validate = slot.rental_days >= 1 && slot.rental_days <= 60
  }

  outcome "done" {
    reply = { zh = "好的，租${slot.rental_days}天。", en = "OK, ${slot.rental_days} days." }
  }
}

intent "stay" {
  examples = ["book a room"]
}

dialog "stay" {
  trigger = [intent.stay]

  slot "nights" {
    type   = number
    prompt = "How many nights?"
  }

  slot "guests" {
    type   = number
    prompt = "How many guests?"
  }

  outcome "done" {
    reply = "${slot.nights} nights for ${slot.guests}."
  }
}

intent "ship" {
  examples = ["send a shipment"]
}

dialog "ship" {
  trigger = [intent.ship]

  slot "bags" {
    type   = number
    prompt = "How many bags?"
  }

  slot "boxes" {
    type   = number
    prompt = "How many boxes?"
  }

  outcome "done" {
    reply = "${slot.boxes} boxes and ${slot.bags} bags."
  }
}

intent "hostel" {
  examples = ["a bed in the hostel"]
}

# Slots named for nothing they count: the question says the unit of the
# first, and the second takes any number as it is.
dialog "hostel" {
  trigger = [intent.hostel]

  slot "count" {
    type   = number
    prompt = "How many nights?"
  }

  slot "n" {
    type   = number
    prompt = "And how many of you?"
  }

  outcome "done" {
    reply = "${slot.count} nights, ${slot.n} of you."
  }
}
