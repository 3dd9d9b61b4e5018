test "lost sim en" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "I lost my phone and sim card"
    intent   = intent.sim_replacement
    slots    = { reason = "lost" }
    response = response.ask_id_last6
  }

  turn {
    user     = "12345x"
    calls    = [connector.accounts.verify_identity, connector.accounts.replace_sim]
    response = response.sim_lost_done
  }
}

test "damaged sim zh" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "手机卡坏了 读不出来"
    intent   = intent.sim_replacement
    slots    = { reason = "damaged" }
    response = response.ask_id_last6
  }

  turn {
    user     = "43210X"
    response = response.sim_damaged_done
  }
}

test "sim asks reason" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "我要补卡"
    response = response.ask_sim_reason
  }

  turn {
    user     = "丢了"
    slots    = { reason = "lost" }
    response = response.ask_id_last6
  }
}

test "sim id wrong format" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "need a new sim, mine is broken"
    response = response.ask_id_last6
  }

  turn {
    user     = "abc"
    response = response.id_invalid
  }
}

test "identity check fails" {
  live     = false
  customer = { id = "C100", phone = "13812345678" }

  mock {
    operation = connector.accounts.get_line
    output    = { owner_id = "C100", plan = "basic", balance = 20 }
  }

  mock {
    operation = connector.accounts.verify_identity
    output    = { ok = false }
  }

  turn {
    user     = "sim card stolen"
    response = response.ask_id_last6
  }

  turn {
    user     = "111111"
    response = response.id_invalid
  }

  turn {
    user     = "222222"
    response = response.id_invalid
  }

  turn {
    user     = "333333"
    response = response.id_failed
    dialog   = "none"
  }
}
