test "customers ask for a person" {
  for_each = {
    en1 = "can i talk to a real person"
    en2 = "agent pls"
    en3 = "I want to speak to someone, this bot is useless"
    zh1 = "转人工"
    zh2 = "我要人工客服"
    zh3 = "能不能找个真人"
  }
  turn {
    user     = each.value
    intent   = intent.human
    handoff  = queue.general
    response = response.handoff_general
  }
}

test "a person after hours leaves a message" {
  now = "2026-11-29T11:00:00+08:00"
  turn {
    user     = "talk to a human"
    handoff  = "none"
    ticket   = queue.general
    response = response.after_hours
  }
}

test "greetings and goodbyes" {
  turn {
    user     = "hello"
    response = response.greet
  }
  turn {
    user     = "thx"
    response = response.thanks
  }
  turn {
    user     = "bye"
    response = response.goodbye
  }
}

test "chinese greeting" {
  turn {
    user     = "在吗"
    response = response.greet
  }
  turn {
    user     = "谢谢"
    response = response.thanks
  }
}

test "how-to questions get their answers" {
  for_each = {
    "pay en"   = { q = "how do i pay my bill?", r = "pay_methods" }
    "alipay"   = { q = "can i pay with alipay", r = "pay_methods" }
    "pay zh"   = { q = "可以用微信交电费吗", r = "pay_methods" }
    "meter en" = { q = "how do I read my meter", r = "read_meter_help" }
    "meter zh" = { q = "电表读数怎么看", r = "read_meter_help" }
    "due en"   = { q = "when is my bill due", r = "bill_dates" }
    "due zh"   = { q = "每个月几号出账单", r = "bill_dates" }
  }
  turn {
    user     = each.value.q
    response = each.value.r
    dialog   = "none"
  }
}

test "opening hours come from the FAQ" {
  for_each = {
    en = { q = "what are your opening hours", id = "faq.hcl#hours_en" }
    zh = { q = "你们客服几点上班", id = "faq.hcl#hours_zh" }
  }
  turn {
    user      = each.value.q
    knowledge = each.value.id
  }
}

test "a question in the middle of a dialog" {
  turn {
    user     = "I'm moving out next friday"
    response = response.ask_account
  }
  turn {
    user      = "how can I pay my bill?"
    responses = [response.pay_methods, response.ask_account]
  }
  turn {
    user     = "AC12345678"
    response = response.ask_new_address
  }
}

test "another request in the middle of a dialog" {
  turn {
    user     = "我要搬家"
    response = response.ask_account
  }
  turn {
    user     = "等等，先报个停电，家里没电了"
    intent   = intent.report_outage
    response = response.ask_outage_address
  }
}

test "gibberish three times goes to a person" {
  turn {
    user     = "asdfgh"
    response = response.not_understood
  }
  turn {
    user     = "qwerty uiop"
    response = response.not_understood
  }
  turn {
    user    = "zxcvb"
    handoff = queue.general
  }
}
