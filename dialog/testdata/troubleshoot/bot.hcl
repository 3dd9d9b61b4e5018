# A troubleshooting dialog that branches on yes/no answers: a "no" in the
# message that starts it answers none of its questions.

bot "troubleshoot" {
  languages = ["en"]
}

intent "internet_down" { examples = ["no internet connection", "my internet is down"] }

response "ask_lights" { en = "Is the light on your router green?" }
response "ask_restarted" { en = "Please restart the router. Is the internet back?" }

dialog "troubleshoot" {
  trigger = [intent.internet_down]

  slot "lights_green" {
    type   = yes_no
    prompt = response.ask_lights
  }

  slot "back_online" {
    type          = yes_no
    required_when = slot.lights_green == "yes"
    prompt        = response.ask_restarted
  }

  outcome "router_fault" {
    when  = slot.lights_green == "no"
    reply = "The router has a fault."
  }

  outcome "fixed" {
    when  = slot.back_online == "yes"
    reply = "Glad it works."
  }

  outcome "still_down" {
    reply = "A technician will call."
  }
}
