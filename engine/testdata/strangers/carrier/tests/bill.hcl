test "small dispute credited" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "you charged me 30 yuan for a service i never used"
    intent   = intent.bill_dispute
    slots    = { amount = 30 }
    response = response.ask_dispute_charge
  }

  turn {
    user     = "ringtone subscription"
    calls    = [connector.billing.credit]
    response = response.credit_done
  }
}

test "middle dispute goes to billing, zh" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "这个月话费多扣了我120块"
    intent   = intent.bill_dispute
    response = response.ask_dispute_charge
  }

  turn {
    user     = "一个什么视频会员，我没开过"
    ticket   = queue.billing
    response = response.dispute_review
  }
}

test "large dispute needs a supervisor" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "my bill is wrong"
    response = response.ask_dispute_amount
  }

  turn {
    user     = "500"
    response = response.ask_dispute_charge
  }

  turn {
    user     = "international calls I never made"
    approval = queue.supervisors
    response = response.dispute_supervisor
  }

  turn {
    decision = "approved"
    response = response.dispute_approved
  }
}

test "dispute boundaries" {
  for_each = {
    "49.99" = "credit_done"
    "50"    = "dispute_review"
    "200"   = "dispute_review"
    "200.5" = "dispute_supervisor"
  }
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user = "I was overcharged ${each.key} yuan"
  }

  turn {
    user     = "data roaming"
    response = each.value
  }
}

test "dispute on someone else's line" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "dispute a charge of 20 yuan on 13912345678"
    slots    = { phone = "13912345678", amount = 20 }
    response = response.ask_dispute_charge
  }

  turn {
    user     = "sms bundle"
    calls    = []
    response = response.not_your_line
  }
}
