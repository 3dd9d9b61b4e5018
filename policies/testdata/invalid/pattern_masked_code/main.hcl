# Found by a stranger's streaming-subscription bot: a six-digit verification
# code, named in privacy's mask so the audit trail hides it, was told to
# become a text slot, which would keep the code as typed. The warning stays,
# with the trade-off said.

bot "b" {
  languages = ["en", "zh"]

  privacy {
    mask = ["email", "phone", "card", "verify_code"]
  }
}

entity "verify_code" { # WARNING: Pattern takes the digits of an amount
  pattern = "[0-9]{6}"
}

intent "refund" {
  examples = ["refund [$12.99](money)", "我要退款"]
}

dialog "refund" {
  trigger = [intent.refund]

  slot "code" {
    type   = verify_code
    prompt = "What's the code we emailed you?"
  }

  slot "amount" {
    type   = money
    prompt = "How much, in US dollars?"
  }

  outcome "done" {
    reply = "Done."
  }
}
