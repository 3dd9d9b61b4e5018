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

intent "claim" {
  examples = ["I want to make a claim", "file a claim", "new claim please", "claim for my car", "I need to claim"]
}

entity "claim_type" {
  values = {
    car  = ["car", "vehicle"]
    home = ["home", "house"]
  }
}

handoff "claims" {
  when  = intent.name == intent.claim # ERROR: Unknown attribute
  queue = queue.general
}

rule "cars" {
  on    = message
  when  = entity.claim_type.car != null # ERROR: Unknown attribute
  reply = "A car claim."
}

dialog "claim" {
  trigger = [intent.claim]

  slot "claim_type" {
    type   = claim_type
    prompt = "Car or home?"
  }

  outcome "car" {
    when  = slot.claim_type.car # ERROR: Unknown attribute
    reply = "A car claim."
  }

  outcome "other" {
    reply = "Another claim."
  }
}
