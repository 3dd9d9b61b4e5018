# A yes_no slot whose answer may echo its question and go on with another
# request ("it is, I want a refund"): the request is answered, not dropped.

bot "echo_request" {
  languages = ["en"]
}

intent "internet_down" { examples = ["no internet connection", "my internet is down"] }
intent "refund" { examples = ["refund please", "I want a refund"] }

answer "refund" {
  intent = intent.refund
  reply  = "Refunds take 5 days."
}

response "ask_lights" { en = "Is the light on your router green?" }

dialog "troubleshoot" {
  trigger = [intent.internet_down]

  slot "lights_green" {
    type   = yes_no
    prompt = response.ask_lights
  }

  outcome "router_fault" {
    when  = slot.lights_green == "no"
    reply = "The router has a fault."
  }

  outcome "still_down" {
    reply = "A technician will call."
  }
}
