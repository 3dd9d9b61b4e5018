bot "b" {
  languages = ["en"]
}

locals {
  refunded = split("|", coalesce(memory.refunded, "")) # WARNING: coalesce never returns ""
  note     = coalesce(slot.note, "none")
  either   = coalesce(slot.note, memory.refunded, "") # WARNING: coalesce never returns ""
}

intent "refund" {
  examples = ["refund please", "I want a refund", "money back", "refund my order", "give me a refund"]
}

dialog "refund" {
  trigger = [intent.refund]

  slot "note" {
    type     = text
    optional = true
  }

  outcome "again" {
    when  = contains(local.refunded, "AB123456")
    reply = "Already refunded."
  }

  outcome "done" {
    remember = { refunded = "${coalesce(memory.refunded, "")}|AB123456" } # WARNING: coalesce never returns ""
    reply    = "Refunded. Note: ${slot.note != null ? slot.note : ""}"
  }
}
