test "moving, the day corrected in chinese at the confirmation" {
  turn {
    user = "我下周五搬家，户号AC12345678"
  }
  turn {
    user     = "浦东新区张江路88号"
    response = response.confirm_move
  }
  turn {
    user     = "不对，是下周六"
    slots    = { move_out = "2026-12-05" }
    response = response.confirm_move
  }
}

test "meter reading typed with a thousands comma" {
  turn {
    user = "meter reading AC12345678 electricity"
  }
  turn {
    user  = "12,345"
    slots = { reading = 12345 }
  }
}

test "dispute, the month in chinese words" {
  turn {
    user = "账单有问题 AC12345678"
  }
  turn {
    user  = "十月份的"
    slots = { bill_month = { start = "2026-10-01", end = "2026-10-31" } }
  }
}

test "payment plan, amount and months in one answer" {
  turn {
    user = "分期付款 AC12345678"
  }
  turn {
    user     = "1200块，分6个月"
    slots    = { amount = 1200, months = 6 }
    response = response.confirm_plan
  }
}

test "payment plan, 1.2k in the opening message is asked again" {
  turn {
    user     = "payment plan AC12345678, 1.2k over 6 months"
    response = response.ask_plan_amount
  }
}

test "change tariff with typos" {
  turn {
    user     = "swich to the fixd tariff AC12345678"
    slots    = { tariff = "fixed" }
    response = response.confirm_tariff
  }
}

test "meter reading read last friday" {
  turn {
    user = "submit meter reading AC12345678 gas 4321"
  }
  turn {
    user  = "last friday"
    slots = { read_on = "2026-11-20" }
  }
}

test "moving out by the end of the month" {
  turn {
    user  = "I'm moving out by the end of the month AC12345678"
    slots = { move_out = "2026-11-30" }
  }
}

test "dispute amount typed as 1200rmb" {
  turn {
    user = "overcharged AC12345678 for september"
  }
  turn {
    user  = "1200rmb"
    slots = { amount = 1200 }
  }
}

test "outage with the neighbours in the first message" {
  turn {
    user     = "power cut, whole street is dark"
    slots    = { fuel = "electricity", scope = "wider" }
    response = response.ask_outage_address
  }
}

test "meter reading, not gas but electricity" {
  turn {
    user = "submit gas reading AC12345678 5555 today"
  }
  turn {
    user     = "no not gas, electricity"
    slots    = { fuel = "electricity" }
    response = response.confirm_reading
  }
}

test "a cancel then an outage" {
  turn {
    user = "I want to change my tariff"
  }
  turn {
    user     = "never mind, my power is out"
    intent   = intent.report_outage
    response = response.ask_outage_address
  }
}

test "嗯嗯 confirms a tariff change" {
  turn {
    user = "换成绿电 AC12345678"
  }
  turn {
    user     = "嗯嗯"
    response = response.tariff_changed
  }
}

test "算了 then an outage, in chinese" {
  turn {
    user = "我要搬家"
  }
  turn {
    user     = "算了，先帮我报个停电"
    response = response.ask_outage_address
  }
}

test "a reading two months old is refused" {
  turn {
    user = "meter reading AC12345678 electricity 1111"
  }
  turn {
    user     = "two months ago"
    response = response.invalid_reading_date
  }
}

test "payment plan of about 1500 bucks" {
  turn {
    user = "payment plan AC12345678"
  }
  turn {
    user  = "about 1500 bucks"
    slots = { amount = 1500 }
  }
}

test "moving out on the 15th" {
  turn {
    user = "moving house AC12345678"
  }
  turn {
    user  = "the 15th"
    slots = { move_out = "2026-12-15" }
  }
}

test "dispute the sept bill" {
  turn {
    user = "dispute bill AC12345678"
  }
  turn {
    user  = "sept"
    slots = { bill_month = { start = "2026-09-01", end = "2026-09-30" } }
  }
}

test "payment plan, months in words" {
  turn {
    user = "payment plan AC12345678"
  }
  turn {
    user = "800"
  }
  turn {
    user  = "six months please"
    slots = { months = 6 }
  }
}
