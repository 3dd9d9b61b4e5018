# A test of tickets that come without a chat, as a table.
test "where tickets go" {
  for_each = {
    refund = { text = "refund AB123456", triage = triage.refunds }
    other  = { text = "hi", triage = "none" }
  }
  ticket {
    subject  = "Help"
    text     = each.value.text
    channel  = "email"
    triage   = each.value.triage
    queue    = queue.general
    priority = "normal" # the queue's
  }
}
