# A carrier whose network_problem examples start with "no": a bare "no" is
# still an answer to "Anything else?", not a network problem. An intent whose
# own examples are a bare no keeps it.

bot "bare_no" {
  languages = ["en"]

  replies {
    goodbye = "Goodbye!"
  }
}

intent "network_problem" { examples = ["no signal", "no service at home", "no bars"] }
intent "decline_offer" { examples = ["no", "not interested in the offer"] }

answer "decline_offer" {
  intent = intent.decline_offer
  reply  = "Fair enough, no offer then."
}

dialog "network_problem" {
  trigger = [intent.network_problem]

  slot "where" {
    type   = text
    prompt = "Where is the signal missing?"
  }

  outcome "reported" {
    reply = "Reported."
  }
}
