test "roaming in one message" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "I'm going to Japan from Dec 20 to Dec 27, please turn on roaming"
    intent   = intent.roaming
    slots    = { country = "japan", dates = { start = "2026-12-20", end = "2026-12-27" } }
    response = response.confirm_roaming
  }

  turn {
    user     = "yes"
    calls    = [connector.accounts.activate_roaming]
    response = response.roaming_done
  }
}

test "roaming zh step by step" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "开通国际漫游"
    intent   = intent.roaming
    response = response.ask_country
  }

  turn {
    user     = "泰国"
    slots    = { country = "thailand" }
    response = response.ask_travel_dates
  }

  turn {
    user     = "12月20号到12月27号"
    slots    = { dates = { start = "2026-12-20", end = "2026-12-27" } }
    response = response.confirm_roaming
  }

  turn {
    user     = "确认开通"
    response = response.roaming_done
  }
}

test "roaming dates in the past" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "need roaming for the UK"
    response = response.ask_travel_dates
  }

  turn {
    user     = "last week"
    response = response.travel_dates_invalid
  }
}

test "roaming prices is an answer" {
  turn {
    user     = "how much is roaming per day in Japan?"
    intent   = intent.roaming_prices
    response = response.roaming_prices
  }
}

test "roaming prices zh" {
  turn {
    user     = "去日本漫游一天多少钱"
    intent   = intent.roaming_prices
    response = response.roaming_prices
  }
}
