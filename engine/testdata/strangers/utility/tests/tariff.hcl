test "change tariff, english" {
  turn {
    user     = "i want to switch to a fixed tariff, AC12345678"
    intent   = intent.change_tariff
    slots    = { tariff = "fixed" }
    response = response.confirm_tariff
  }
  turn {
    user     = "yes please"
    response = response.tariff_changed
  }
}

test "change tariff, already on it" {
  turn {
    user     = "change tarrif"
    intent   = intent.change_tariff
    response = response.ask_account
  }
  turn {
    user     = "AC12345678"
    response = response.ask_tariff
  }
  turn {
    user     = "variable"
    response = response.already_on_tariff
  }
  turn {
    user     = "green"
    response = response.confirm_tariff
  }
  turn {
    user   = "no"
    dialog = "none"
  }
}

test "change tariff, chinese" {
  turn {
    user     = "我想换成峰谷电价，户号AC87654321"
    intent   = intent.change_tariff
    slots    = { tariff = "peak" }
    response = response.confirm_tariff
  }
  turn {
    user     = "不对，是绿电"
    slots    = { tariff = "green" }
    response = response.confirm_tariff
  }
  turn {
    user     = "确认切换"
    response = response.tariff_changed
  }
}

test "change tariff, button" {
  turn {
    user = "换套餐"
  }
  turn {
    user = "AC87654321"
  }
  turn {
    user     = "green"
    slots    = { tariff = "green" }
    response = response.confirm_tariff
  }
}
