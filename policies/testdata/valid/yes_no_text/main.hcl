# A yes_no value is the text "yes" or "no" wherever it is read from: a slot,
# a remembered slot, the yes_no entity, or a local that is one of them.
bot "b" {
  languages = ["en"]
}

intent "renew" {
  examples = ["renew my plan", "I want to renew", "renewal please", "extend my plan", "renew it"]
}

locals {
  agreed = slot.agree
  said   = local.agreed
  heard  = entity.yes_no
}

dialog "renew" {
  trigger = [intent.renew]

  slot "agree" {
    type     = yes_no
    prompt   = "Renew for another year?"
    remember = true
  }

  outcome "renewed" {
    when  = local.agreed == "yes" || (slot.agree) == "yes" || memory.agree == "yes" || local.said == "yes" || local.heard == "yes"
    reply = "Renewed."
  }

  outcome "kept" {
    reply = "Nothing changed."
  }
}
