# A phone slot asked for: a US number typed without dashes is read by the NLU
# as a number, and still answers the question, alone or with small words.
bot "callback" {
  languages = ["en"]
}

intent "callback" {
  examples = ["call me back", "can someone ring me", "I want a callback", "phone me please", "callback"]
}

dialog "callback" {
  trigger = [intent.callback]

  slot "phone" {
    type    = phone
    prompt  = "What number should we call you on?"
    invalid = "That doesn't look like a phone number. What number should we call you on?"
  }

  outcome "done" {
    reply = "We'll call ${slot.phone}."
  }
}
