# A test that expects that nothing happened, and chooses the survey draw.
test "refund of 499 is approved automatically" {
  survey = false
  now    = "2026-11-23T10:00:00+08:00"
  turn {
    user     = "yes"
    calls    = [connector.orders.refund]
    response = response.refund_approved
    approval = "none" # nobody is asked
    handoff  = "none"
    ticket   = "none"
  }
}
