test "wanna top up" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user   = "i wanna top up my data"
    intent = intent.top_up
  }
}

test "stolen phone needs a new sim" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "my phone was stolen yesterday, need to block the number"
    intent   = intent.sim_replacement
    slots    = { reason = "lost" }
    response = response.ask_id_last6
  }
}

test "trip with start and length" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "I'll be in France from 1 to 10 January, need roaming"
    intent   = intent.roaming
    slots    = { country = "france", dates = { start = "2027-01-01", end = "2027-01-10" } }
    response = response.confirm_roaming
  }
}

test "business trip zh" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user   = "下个月要出差去美国，手机要开什么"
    intent = intent.roaming
  }
}

test "roaming price question during roaming dialog" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "turn on roaming for japan"
    response = response.ask_travel_dates
  }

  turn {
    user      = "how much does it cost per day?"
    responses = [response.roaming_prices, response.ask_travel_dates]
    dialog    = dialog.roaming
  }

  turn {
    user     = "dec 20 - dec 27"
    response = response.confirm_roaming
  }
}

test "colloquial confirm zh" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "充100块流量"
    response = response.confirm_topup
  }

  turn {
    user     = "嗯嗯 可以"
    response = response.topup_done
  }
}

test "change mind on plan at confirm" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "switch me to unlimited"
    response = response.confirm_plan
  }

  turn {
    user     = "no wait, family plan"
    slots    = { new_plan = "family" }
    response = response.confirm_plan
  }
}

test "how do I check my bill" {
  turn {
    user     = "怎么查话费"
    dialog   = "none"
    response = response.check_bill
  }
}

test "get me an agent while asked an amount" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "my bill is wrong"
    response = response.ask_dispute_amount
  }

  turn {
    user    = "forget it, put me through to a person"
    handoff = queue.general
  }
}

test "id number with spaces" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "补办SIM卡，卡坏了"
    response = response.ask_id_last6
  }

  turn {
    user     = "后六位是12345X"
    response = response.id_invalid
  }
}

test "trip given as a start and a length" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "I'm travelling to Korea on 5 Dec for a week"
    intent   = intent.roaming
    slots    = { country = "korea", dates = { start = "2026-12-05", end = "2026-12-11" } }
    response = response.confirm_roaming
  }
}
