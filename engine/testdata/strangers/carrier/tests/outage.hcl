test "outage known in area" {
  turn {
    user     = "no signal in chaoyang since this morning"
    intent   = intent.outage
    slots    = { area = "chaoyang" }
    response = response.outage_known
  }
}

test "outage zh asks area then reports" {
  turn {
    user     = "手机突然没信号了"
    intent   = intent.outage
    response = response.ask_area
  }

  turn {
    user     = "海淀"
    ticket   = queue.network
    response = response.outage_reported
  }
}

test "maintenance" {
  turn {
    user     = "internet not working in pudong"
    response = response.outage_maintenance
  }
}
