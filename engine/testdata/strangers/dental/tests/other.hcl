test "emergencies go to a person at once" {
  for_each = {
    "toothache zh" = "牙疼得厉害，睡不着"
    "swelling zh"  = "我脸肿了好大一块"
    "gum zh"       = "牙龈肿痛，还流脓"
    "broken zh"    = "吃东西把门牙磕掉一块"
    "toothache en" = "my tooth is killing me"
    "swelling en"  = "my jaw is swollen"
    "en misspelt"  = "really bad tooth ache"
  }

  turn {
    user     = each.value
    intent   = intent.emergency
    handoff  = queue.emergency
    response = response.emergency_handoff
  }
}

test "an emergency during a booking is handed off" {
  turn {
    user     = "我想约洗牙"
    response = response.ask_branch
  }

  turn {
    user     = "哎呀我现在牙疼得不行"
    handoff  = queue.emergency
    response = response.emergency_handoff
  }
}

test "an emergency after hours gives the hotline" {
  now = "2026-11-23T22:30:00+08:00"

  turn {
    user     = "半夜牙疼死了怎么办"
    handoff  = "none"
    response = response.emergency_after_hours
  }
}

test "after hours a person is not available, so take a message" {
  now = "2026-11-23T21:00:00+08:00"

  turn {
    user     = "转人工"
    handoff  = "none"
    response = response.after_hours
    dialog   = dialog.leave_message
  }

  turn {
    user     = "13912345678"
    response = response.ask_message
  }

  turn {
    user     = "我想问下明天能不能加急看牙"
    ticket   = queue.front_desk
    response = response.message_taken
  }
}

test "asking for a person in hours" {
  turn {
    user     = "人工"
    handoff  = queue.front_desk
    response = response.handoff_general
  }
}

test "price questions" {
  for_each = {
    "洗牙"       = "洗牙多少钱？"
    "种牙"       = "种一颗牙大概要多少"
    "矫正"       = "牙齿矫正贵吗"
    "cleaning" = "how much for a cleaning"
    "braces"   = "price of braces?"
  }

  turn {
    user     = each.value
    intent   = intent.price
    response = response.price
  }
}

test "insurance questions" {
  for_each = {
    "医保"    = "可以用医保吗"
    "商保"    = "我有平安的商业保险，能直接结算吗"
    "报销"    = "能开发票给保险公司报销吗"
    "cigna" = "do you accept cigna"
    "cover" = "does insurance cover it"
  }

  turn {
    user     = each.value
    intent   = intent.insurance
    response = response.insurance
  }
}

test "knowledge answers" {
  turn {
    user      = "你们静安店在哪"
    knowledge = "knowledge/clinic.md#分店地址"
  }

  turn {
    user      = "有地方停车吗"
    knowledge = "knowledge.hcl#parking_zh"
  }
}

test "greeting and thanks" {
  turn {
    user     = "在吗"
    response = response.greet
  }

  turn {
    user     = "谢谢啦"
    response = response.thanks
  }
}

test "a question about pain is no emergency" {
  turn {
    user    = "洗牙疼吗"
    handoff = "none"
  }
}

test "opening hours" {
  for_each = {
    "你们几点关门"                             = "knowledge.hcl#hours_zh"
    "what time do you close on saturday" = "knowledge.hcl#hours_en"
  }

  turn {
    user      = each.key
    knowledge = each.value
  }
}
