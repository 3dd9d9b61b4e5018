bot "b" {
  languages = ["en"]
}

intent "internet_down" {
  examples = ["my internet is down", "no internet", "I can't get online", "the wifi stopped working", "broadband is out"]
}

locals {
  green = slot.lights_green
}

dialog "troubleshoot" {
  trigger = [intent.internet_down]

  slot "lights_green" {
    type     = yes_no
    prompt   = "Is the light on your router green?"
    remember = true
  }

  slot "back_online" {
    type          = yes_no
    required_when = slot.lights_green # WARNING: Yes or no used as true or false
    prompt        = "Please restart the router. Is the internet back?"
  }

  outcome "router_fault" {
    when  = !slot.lights_green # WARNING: Yes or no used as true or false
    reply = "Your router has a fault."
  }

  outcome "fixed" {
    when  = slot.back_online == true # WARNING: Yes or no used as true or false
    reply = "Glad it works."
  }

  # The same text read through a local or the conversation's memory.
  outcome "green_again" {
    when  = local.green == true # WARNING: Yes or no used as true or false
    reply = "Green."
  }

  outcome "remembered" {
    when  = !memory.lights_green # WARNING: Yes or no used as true or false
    reply = "Not green."
  }

  outcome "compared" {
    when  = slot.back_online == "no" && entity.yes_no != "yes"
    reply = "%{ if slot.lights_green == "yes" }Green.%{ endif } A technician will call."
  }

  outcome "other" {
    reply = entity.yes_no ? "Yes." : "No." # WARNING: Yes or no used as true or false
  }
}
