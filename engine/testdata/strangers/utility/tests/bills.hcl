test "dispute, english, step by step" {
  turn {
    user     = "my bill is way too high this time"
    intent   = intent.dispute_bill
    response = response.ask_account
  }
  turn {
    user     = "AC12345678"
    response = response.ask_bill_month
  }
  turn {
    user     = "the october one"
    slots    = { bill_month = { start = "2026-10-01", end = "2026-10-31" } }
    response = response.ask_disputed_amount
  }
  turn {
    user     = "¥1,200"
    slots    = { amount = 1200 }
    response = response.ask_dispute_reason
  }
  turn {
    user     = "it says I used 3000 kWh but the house was empty"
    ticket   = queue.billing
    response = response.dispute_logged
  }
}

test "dispute, english, all at once" {
  turn {
    user     = "I was overcharged £45.50 on last month's bill, account AC12345678"
    intent   = intent.dispute_bill
    slots    = { account_number = "AC12345678", amount = 45.5, bill_month = { start = "2026-10-01", end = "2026-10-31" } }
    response = response.ask_dispute_reason
  }
}

test "dispute, amount in k" {
  turn {
    user = "dispute my bill AC12345678 for october"
  }
  turn {
    user     = "1.2k"
    slots    = { amount = 1200 }
    response = response.ask_dispute_reason
  }
}

test "dispute, chinese" {
  turn {
    user     = "10月的电费账单不对，多收了钱"
    intent   = intent.dispute_bill
    response = response.ask_account
  }
  turn {
    user     = "AC12345678"
    response = response.ask_disputed_amount
    slots    = { bill_month = { start = "2026-10-01", end = "2026-10-31" } }
  }
  turn {
    user     = "一千二"
    slots    = { amount = 1200 }
    response = response.ask_dispute_reason
  }
  turn {
    user     = "家里没人住，用电量不可能这么高"
    response = response.dispute_logged
    ticket   = queue.billing
  }
}

test "dispute, chinese, amount correction" {
  turn {
    user     = "户号AC12345678，上个月账单多收了300元"
    slots    = { amount = 300, bill_month = { start = "2026-10-01", end = "2026-10-31" } }
    response = response.ask_dispute_reason
  }
  turn {
    user  = "不对，是500"
    slots = { amount = 500 }
  }
}

test "dispute, cancelled" {
  turn {
    user     = "i think my bill is wrong"
    response = response.ask_account
  }
  turn {
    user   = "actually never mind"
    dialog = "none"
  }
}
