# A stranger's carrier bot marked a refused roaming request as unresolved in
# the call's on_rejected block; resolves is a rule's or an outcome's.

bot "b" {
  languages = ["en"]
}

intent "roaming" {
  examples = ["turn on roaming", "roaming please", "activate roaming", "I need roaming abroad", "enable roaming"]
}

connector "roaming" {
  type = "fixture"

  operation "activate" {
    input   = { phone = string }
    output  = { id = string }
    respond = { id = "RM-{phone}" }
  }
}

dialog "roaming" {
  trigger = [intent.roaming]

  slot "phone" {
    type   = phone
    prompt = "Which number?"
  }

  outcome "activate" {
    call "activate" {
      operation = connector.roaming.activate
      input     = { phone = slot.phone }

      on_rejected {
        resolves = false # ERROR: Unsupported argument
        reply    = "We don't offer roaming there."
      }
    }
    reply = "Roaming is on."
  }
}
