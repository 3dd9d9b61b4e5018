bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["refund", "money back", "i want a refund", "refund please", "return for refund"]
}

dialog "refund" {
  trigger = [intent.refund]
}

dialog "refund_again" { # ERROR: Dialog can never start
  trigger = [intent.refund]
}
