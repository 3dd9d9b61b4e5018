test "meter reading, all in one, english" {
  turn {
    user     = "I want to give my electric meter reading, account AC12345678, it says 04512 today"
    intent   = intent.meter_reading
    slots    = { account_number = "AC12345678", fuel = "electricity", reading = 4512, read_on = "2026-11-23" }
    response = response.confirm_reading
  }
  turn {
    user     = "yes"
    calls    = [connector.billing.submit_reading]
    response = response.reading_submitted
  }
}

test "meter reading step by step, english" {
  turn {
    user     = "meter reading"
    intent   = intent.meter_reading
    response = response.ask_account
  }
  turn {
    user     = "ac12345678"
    slots    = { account_number = "AC12345678" }
    response = response.ask_fuel
  }
  turn {
    user     = "gas"
    response = response.ask_reading
  }
  turn {
    user     = "2345"
    response = response.ask_reading_date
  }
  turn {
    user     = "yesterday"
    slots    = { read_on = "2026-11-22" }
    response = response.confirm_reading
  }
  turn {
    user     = "yep"
    response = response.reading_submitted
  }
}

test "meter reading, correction at confirmation" {
  turn {
    user     = "submit gas reading 2345 for AC12345678 today"
    response = response.confirm_reading
  }
  turn {
    user     = "no wait, 2354"
    slots    = { reading = 2354 }
    response = response.confirm_reading
  }
  turn {
    user     = "yes"
    response = response.reading_submitted
  }
}

test "meter reading, future date refused" {
  turn {
    user = "I want to send a meter reading"
  }
  turn {
    user = "AC12345678"
  }
  turn {
    user = "electricity"
  }
  turn {
    user = "5678"
  }
  turn {
    user     = "next friday"
    response = response.invalid_reading_date
  }
  turn {
    user     = "today"
    response = response.confirm_reading
  }
}

test "meter reading, chinese" {
  turn {
    user     = "我要报电表读数"
    intent   = intent.meter_reading
    response = response.ask_account
    slots    = { fuel = "electricity" }
  }
  turn {
    user     = "户号是AC12345678"
    response = response.ask_reading
  }
  turn {
    user     = "读数是3456"
    slots    = { reading = 3456 }
    response = response.ask_reading_date
  }
  turn {
    user     = "今天"
    response = response.confirm_reading
  }
  turn {
    user     = "提交"
    response = response.reading_submitted
  }
}

test "meter reading, chinese, not now" {
  turn {
    user     = "抄表数据提交一下，AC12345678，气表，1234，昨天抄的"
    slots    = { account_number = "AC12345678", fuel = "gas", reading = 1234, read_on = "2026-11-22" }
    response = response.confirm_reading
  }
  turn {
    user   = "不用了"
    dialog = "none"
  }
}

test "meter reading, unknown account" {
  turn {
    user     = "meter reading for AC99999999"
    response = response.account_not_found
  }
  turn {
    user     = "sorry AC12345678"
    response = response.ask_fuel
  }
}
