test "outage, english, step by step" {
  turn {
    user     = "hi my power is out"
    intent   = intent.report_outage
    dialog   = dialog.report_outage
    response = response.ask_outage_address
    slots    = { fuel = "electricity" }
  }
  turn {
    user     = "12 Garden Road, Flat 3"
    response = response.ask_scope
  }
  turn {
    user            = "yes the whole street"
    response        = response.outage_logged
    ticket          = queue.faults
    ticket_priority = "urgent"
  }
}

test "outage, english casual with typo" {
  turn {
    user   = "no electrcity since last nite"
    intent = intent.report_outage
  }
}

test "outage, gas, neighbours fine" {
  turn {
    user     = "our gas has stopped working, cant cook"
    intent   = intent.report_outage
    slots    = { fuel = "gas" }
    response = response.ask_outage_address
  }
  turn {
    user     = "88 Hill Street"
    response = response.ask_scope
  }
  turn {
    user            = "no just us"
    ticket          = queue.faults
    ticket_priority = "high"
    response        = response.outage_logged
  }
}

test "outage, chinese" {
  turn {
    user     = "我家停电了"
    intent   = intent.report_outage
    slots    = { fuel = "electricity" }
    response = response.ask_outage_address
  }
  turn {
    user     = "朝阳区建国路88号3单元502"
    response = response.ask_scope
  }
  turn {
    user            = "邻居家也没电"
    response        = response.outage_logged
    ticket          = queue.faults
    ticket_priority = "urgent"
  }
}

test "outage, chinese, asks which fuel" {
  turn {
    user     = "突然什么都用不了了，报修"
    intent   = intent.report_outage
    response = response.ask_fuel
  }
  turn {
    user     = "燃气"
    slots    = { fuel = "gas" }
    response = response.ask_outage_address
  }
  turn {
    user   = "算了"
    dialog = "none"
  }
}

test "outage, neighbours echo answer in chinese" {
  turn {
    user = "停电了"
  }
  turn {
    user = "浦东新区世纪大道100号"
  }
  turn {
    user     = "邻居也受影响了"
    slots    = { scope = "wider" }
    response = response.outage_logged
  }
}

test "gas smell is an emergency" {
  for_each = {
    en1 = "I can smell gas in the kitchen!!"
    en2 = "help theres a gas leak i think"
    zh1 = "家里有很大的煤气味"
    zh2 = "燃气好像泄漏了怎么办"
  }
  turn {
    user     = each.value
    intent   = intent.gas_emergency
    handoff  = queue.emergency
    response = response.gas_emergency
  }
}

test "gas smell in the middle of an outage report" {
  turn {
    user     = "gas isn't working"
    response = response.ask_outage_address
  }
  turn {
    user    = "wait actually I smell gas now"
    handoff = queue.emergency
  }
}
