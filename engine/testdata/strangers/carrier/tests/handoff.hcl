test "asks for a human" {
  turn {
    user     = "can I talk to a real person"
    handoff  = queue.general
    response = response.handoff
  }
}

test "asks for a human zh" {
  turn {
    user     = "转人工"
    handoff  = queue.general
    response = response.handoff
  }
}

test "angry customer" {
  turn {
    user     = "this is ridiculous, worst service ever, I'm furious!"
    handoff  = queue.general
    response = response.handoff_angry
  }
}

test "angry customer zh" {
  turn {
    user     = "气死我了，你们服务太差了！"
    handoff  = queue.general
    response = response.handoff_angry
  }
}

test "human after hours" {
  now = "2026-11-23T23:30:00+08:00"

  turn {
    user     = "agent please"
    handoff  = "none"
    ticket   = queue.general
    response = response.after_hours
  }
}

test "human in the middle of a top up" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "top up my data"
    response = response.ask_topup_amount
  }

  turn {
    user    = "actually just get me an agent"
    handoff = queue.general
  }
}
