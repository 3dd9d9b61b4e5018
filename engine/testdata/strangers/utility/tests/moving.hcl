test "moving home, english" {
  turn {
    user     = "im moving house next friday"
    intent   = intent.moving_home
    slots    = { move_out = "2026-12-04" }
    response = response.ask_account
  }
  turn {
    user     = "AC12345678"
    response = response.ask_new_address
  }
  turn {
    user     = "Flat 5, 20 River Lane, Shanghai"
    response = response.confirm_move
  }
  turn {
    user     = "yes"
    response = response.move_registered
    calls    = [connector.billing.register_move]
  }
}

test "moving home, chinese, 下周五" {
  turn {
    user     = "我下周五搬家"
    intent   = intent.moving_home
    slots    = { move_out = "2026-12-04" }
    response = response.ask_account
  }
  turn {
    user     = "AC12345678"
    response = response.ask_new_address
  }
  turn {
    user     = "徐汇区漕溪北路200号5楼"
    response = response.confirm_move
  }
  turn {
    user     = "正确"
    response = response.move_registered
  }
}

test "moving home, chinese, 月底, fix the address" {
  turn {
    user     = "月底要搬走了，户号AC12345678"
    slots    = { move_out = "2026-11-30", account_number = "AC12345678" }
    response = response.ask_new_address
  }
  turn {
    user     = "静安区南京西路1号"
    response = response.confirm_move
  }
  turn {
    user     = "修改地址"
    response = response.ask_new_address
  }
  turn {
    user     = "静安区南京西路101号"
    response = response.confirm_move
  }
  turn {
    user     = "对"
    response = response.move_registered
  }
}

test "moving home, change the date at the confirmation" {
  turn {
    user = "moving out on 15 dec, account AC12345678"
  }
  turn {
    user     = "7 Oak Avenue, Pudong"
    response = response.confirm_move
  }
  turn {
    user     = "actually make it the 18th"
    slots    = { move_out = "2026-12-18" }
    response = response.confirm_move
  }
}

test "moving home, date too far" {
  turn {
    user = "I'm moving home"
  }
  turn {
    user = "AC12345678"
  }
  turn {
    user     = "next summer"
    response = response.invalid_move_out
  }
}
