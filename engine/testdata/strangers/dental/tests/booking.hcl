test "booking step by step in Chinese" {
  turn {
    user     = "你好，我想约个洗牙"
    intent   = intent.book
    slots    = { treatment = "cleaning" }
    response = response.ask_branch
  }

  turn {
    user     = "静安的"
    slots    = { branch = "jingan" }
    response = response.ask_date
  }

  turn {
    user     = "后天"
    slots    = { date = "2026-11-25" }
    response = response.ask_time
  }

  turn {
    user     = "下午3点"
    slots    = { time = "下午3点" }
    response = response.ask_dentist
  }

  turn {
    user     = "王医生"
    slots    = { dentist = "dr_wang" }
    response = response.ask_phone
  }

  turn {
    user     = "13812345678"
    slots    = { phone = "13812345678" }
    response = response.confirm_booking
  }

  turn {
    user     = "好的"
    calls    = [connector.clinic.create_booking]
    response = response.booked
    dialog   = "none"
  }
}

test "booking all at once in Chinese" {
  turn {
    user     = "帮我约明天上午10点徐汇店补牙，李医生"
    intent   = intent.book
    slots    = { treatment = "filling", branch = "xuhui", date = "2026-11-24", time = "上午10点", dentist = "dr_li" }
    response = response.ask_phone
  }
}

test "booking in English, chatty" {
  turn {
    user     = "hi can i book a cleaning for next friday pls"
    intent   = intent.book
    slots    = { treatment = "cleaning", date = "2026-12-04" }
    response = response.ask_branch
  }

  turn {
    user     = "pudong"
    slots    = { branch = "pudong" }
    response = response.ask_time
  }

  turn {
    user     = "2pm"
    slots    = { time = "2PM" }
    response = response.ask_dentist
  }

  turn {
    user     = "anyone is fine"
    slots    = { dentist = "any" }
    response = response.ask_phone
  }

  turn {
    user     = "my number is 138 1234 5678"
    response = response.confirm_booking
  }

  turn {
    user     = "yes"
    response = response.booked
  }
}

test "a time the clinic is closed is refused" {
  turn {
    user = "预约洗牙，浦东店，明天"
  }

  turn {
    user     = "晚上9点"
    response = response.invalid_time
  }

  turn {
    user     = "晚上7点"
    slots    = { time = "晚上7点" }
    response = response.ask_dentist
  }
}

test "today is too soon to book" {
  turn {
    user     = "我想今天去洗牙"
    intent   = intent.book
    response = response.invalid_date
  }
}

test "colloquial booking messages" {
  for_each = {
    "有号吗"      = "明天还有号吗"
    "看牙"       = "想去看下牙"
    "洗个牙"      = "周六能去洗个牙不"
    "misspelt" = "i wanna book an appointmnet"
    "slot"     = "any free slots tmrw?"
    "checkup"  = "need a checkup"
  }

  turn {
    user   = each.value
    intent = intent.book
    dialog = dialog.book
  }
}

test "a price question in the middle of a booking is answered, then the booking goes on" {
  turn {
    user     = "我要预约补牙"
    response = response.ask_branch
  }

  turn {
    user      = "补牙多少钱啊"
    responses = [response.price, response.ask_branch]
    dialog    = dialog.book
  }

  turn {
    user     = "徐汇"
    response = response.ask_date
  }
}

test "saying no at the confirmation books nothing" {
  turn {
    user = "帮我约明天上午10点徐汇店补牙，李医生"
  }

  turn {
    user     = "13812345678"
    response = response.confirm_booking
  }

  turn {
    user   = "先不约了"
    calls  = []
    dialog = "none"
  }
}

test "a bare short weekday answers which day" {
  turn {
    user     = "book a check up at jingan"
    response = response.ask_date
  }

  turn {
    user     = "sat"
    slots    = { date = "2026-11-28" }
    response = response.ask_time
  }
}

test "一下 before a weekday is not next week" {
  turn {
    user     = "帮我预约一下周日的洗牙"
    intent   = intent.book
    slots    = { treatment = "cleaning", date = "2026-11-29" }
    response = response.ask_branch
  }
}

test "chat shorthand in English" {
  turn {
    user   = "can i get an appt w dr li on thurs"
    intent = intent.book
    slots  = { dentist = "dr_li", date = "2026-11-26" }
  }
}

test "this coming Monday, said on a Monday, is next week" {
  turn {
    user     = "book a cleaning at pudong this coming monday"
    slots    = { date = "2026-11-30" }
    response = response.ask_time
  }
}
