# Slots whose validate reads another slot of the dialog: a value given
# before the slot it is checked against waits for it.
bot "viewings" {
  languages = ["en"]

  business_hours {
    time_zone = "Asia/Shanghai"
    weekdays  = "09:00-18:00"
  }
}

locals {
  starts_at = "${slot.day}T${format("%02d", slot.hour)}:00:00${substr(now, 19, -1)}"
}

dialog "view" {
  trigger = [intent.view]

  slot "day" {
    type   = date
    prompt = "Which day?"
  }

  # Read through a local.
  slot "hour" {
    type     = number
    prompt   = "At what hour?"
    validate = hours_between(now, local.starts_at) >= 2
    invalid  = "That is less than 2 hours from now. At what hour?"
  }

  outcome "booked" {
    reply = "Booked for ${slot.day} at ${slot.hour}:00."
  }
}

dialog "party" {
  trigger = [intent.party]

  # Read directly, and asked first.
  slot "children" {
    type     = number
    prompt   = "How many children?"
    validate = slot.children <= slot.adults
    invalid  = "At most one child per adult. How many children?"
  }

  slot "adults" {
    type   = number
    prompt = "How many adults?"
  }

  outcome "noted" {
    reply = "${slot.adults} adults and ${slot.children} children."
  }
}

intent "view" {
  examples = ["book a viewing", "I want to see the flat", "arrange a visit", "can I view it", "viewing please"]
}

intent "party" {
  examples = ["book a table", "a table for my family", "reserve a table", "table please", "dinner booking"]
}
