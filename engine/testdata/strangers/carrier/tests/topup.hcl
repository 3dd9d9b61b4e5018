test "top up in one message" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "top up 50 yuan of data"
    intent   = intent.top_up
    slots    = { amount = 50, phone = "13812345678" }
    response = response.confirm_topup
  }

  turn {
    user     = "yes"
    calls    = [connector.accounts.top_up]
    response = response.topup_done
  }
}

test "top up zh asks amount" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "流量用完了，咋办"
    intent   = intent.top_up
    response = response.ask_topup_amount
  }

  turn {
    user     = "30"
    slots    = { amount = 30 }
    response = response.confirm_topup
  }

  turn {
    user     = "好的"
    response = response.topup_done
  }
}

test "top up for another number, zh" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "帮13912345678充100块流量"
    intent   = intent.top_up
    slots    = { phone = "13912345678", amount = 100 }
    response = response.confirm_topup
  }
}

test "top up too much" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "I need more data"
    response = response.ask_topup_amount
  }

  turn {
    user     = "1000"
    response = response.topup_amount_invalid
  }

  turn {
    user     = "200 then"
    slots    = { amount = 200 }
    response = response.confirm_topup
  }
}

test "top up amount correction" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "add 30 yuan data"
    response = response.confirm_topup
  }

  turn {
    user     = "actually make it 50"
    slots    = { amount = 50 }
    response = response.confirm_topup
  }
}

test "top up without a known phone asks for it" {
  turn {
    user     = "data top up pls"
    response = response.ask_phone
  }

  turn {
    user     = "13812345678"
    slots    = { phone = "13812345678" }
    response = response.ask_topup_amount
  }
}
