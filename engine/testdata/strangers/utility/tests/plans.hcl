test "payment plan under 300 is approved at once" {
  turn {
    user     = "can I pay my bill in instalments? account AC11112222"
    intent   = intent.payment_plan
    response = response.ask_plan_amount
  }
  turn {
    user     = "¥250"
    response = response.ask_plan_months
  }
  turn {
    user     = "3 months"
    slots    = { months = 3 }
    response = response.confirm_plan
  }
  turn {
    user     = "yes"
    calls    = [connector.billing.create_plan]
    response = response.plan_approved
    approval = "none"
  }
}

test "payment plan between 300 and 2000 goes to the billing team" {
  turn {
    user     = "I need a payment plan for 1.2k, AC12345678"
    response = response.ask_plan_amount
  }
  turn {
    user     = "1.2k"
    slots    = { amount = 1200 }
    response = response.ask_plan_months
  }
  turn {
    user = "6"
  }
  turn {
    user     = "yes"
    approval = queue.billing
    calls    = []
    response = response.plan_waits_review
  }
  turn {
    decision = "approved"
    calls    = [connector.billing.create_plan]
    response = response.plan_approved_later
  }
}

test "payment plan over 2000 needs a supervisor, chinese" {
  turn {
    user     = "欠了两千五电费，一次交不起，能分期吗"
    intent   = intent.payment_plan
    response = response.ask_account
  }
  turn {
    user     = "AC87654321"
    response = response.ask_plan_amount
  }
  turn {
    user     = "2500元"
    response = response.ask_plan_months
  }
  turn {
    user     = "分10个月"
    slots    = { months = 10 }
    response = response.confirm_plan
  }
  turn {
    user     = "确认"
    approval = queue.supervisors
    response = response.plan_waits_supervisor
  }
  turn {
    decision = "rejected"
    response = response.plan_declined
  }
}

test "payment plan, chinese amount in words" {
  turn {
    user = "我想分期付款，户号AC12345678"
  }
  turn {
    user     = "一千二"
    slots    = { amount = 1200 }
    response = response.ask_plan_months
  }
  turn {
    user     = "六个月"
    slots    = { months = 6 }
    response = response.confirm_plan
  }
  turn {
    user     = "不对，是一千五"
    slots    = { amount = 1500 }
    response = response.confirm_plan
  }
}

test "payment plan, exactly 300 is reviewed" {
  turn {
    user = "payment plan AC12345678"
  }
  turn {
    user = "300"
  }
  turn {
    user = "2"
  }
  turn {
    user     = "yes"
    approval = queue.billing
  }
}

test "payment plan, exactly 2000 is reviewed by the team" {
  turn {
    user = "payment plan AC12345678"
  }
  turn {
    user = "¥2,000"
  }
  turn {
    user = "12"
  }
  turn {
    user     = "ok"
    approval = queue.billing
  }
}

test "payment plan, too many months" {
  turn {
    user = "i cant afford my bill, can i spread it out"
  }
  turn {
    user = "AC12345678"
  }
  turn {
    user = "600"
  }
  turn {
    user     = "24"
    response = response.invalid_plan_months
  }
  turn {
    user     = "12"
    response = response.confirm_plan
  }
  turn {
    user   = "no"
    dialog = "none"
  }
}
