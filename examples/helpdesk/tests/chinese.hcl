# The same conversations in Chinese.

test "zh: greeting" {
  turn {
    user      = "你好"
    intent    = intent.greet
    responses = [response.greet, response.help]
    reply     = ["您好！我是您的 IT 服务台助手。", "我可以帮您提交服务工单，或查询您已提交工单的状态。\n您可以这样说：\n- 我要报修\n- 帮我重置密码\n- 我的邮箱出问题了\n- 查一下我的工单"]
  }
}

test "zh: bot challenge" {
  turn {
    user     = "你是机器人吗"
    response = response.iamabot
    reply    = ["我是机器人，由 Parley 驱动。"]
  }
}

test "zh: out of scope" {
  turn {
    user     = "帮我订个披萨"
    intent   = intent.out_of_scope
    response = response.out_of_scope
  }
}

test "zh: thanks and goodbye" {
  turn {
    user     = "谢谢"
    response = response.welcome
  }

  turn {
    user     = "再见"
    response = response.goodbye
  }
}

test "zh: fallback" {
  language = "zh"

  turn {
    user     = "呜啦啦啦噜"
    intent   = "none"
    response = response.default
  }
}

test "zh: open an incident" {
  turn {
    user     = "我要报修"
    intent   = intent.open_incident
    response = response.ask_email
    reply    = ["请问您的邮箱地址是？"]
  }

  turn {
    user     = "我的邮箱是 abel.tuter@example.com"
    slots    = { email = "abel.tuter@example.com" }
    response = response.ask_priority
  }

  turn {
    user     = "紧急"
    slots    = { priority = "high" }
    response = response.ask_problem_description
  }

  turn {
    user     = "会议室的投影仪没有画面"
    response = response.ask_incident_title
  }

  turn {
    user       = "投影仪故障"
    response   = response.ask_confirm
    reply_glob = "*优先级：高"
  }

  turn {
    user       = "是的"
    calls      = [connector.servicenow.create_incident]
    response   = response.incident_opened
    reply_glob = "已为您提交工单 INC00*"
  }
}

test "zh: a password reset is titled by itself" {
  turn {
    user     = "密码忘了"
    intent   = intent.password_reset
    response = response.ask_email
  }

  turn {
    user     = "wang.xiaoming@example.com"
    response = response.ask_priority
  }

  turn {
    user     = "一般"
    response = response.ask_problem_description
  }

  turn {
    user     = "重置链接打不开"
    slots    = { incident_title = "密码重置问题" }
    response = response.ask_confirm
  }

  turn {
    user     = "不用了"
    response = response.incident_creation_canceled
    reply    = ["好的，工单已取消。"]
    dialog   = "none"
  }
}

test "zh: an email problem" {
  turn {
    user     = "Outlook 打不开"
    intent   = intent.problem_email
    response = response.ask_email
  }

  turn {
    user     = "abel.tuter@example.com"
    response = response.ask_priority
  }

  turn {
    user     = "低"
    response = response.ask_problem_description
  }

  turn {
    user     = "一打开就闪退"
    slots    = { incident_title = "邮箱问题" }
    response = response.ask_confirm
  }
}

test "zh: incident status" {
  turn {
    user     = "查一下我的工单"
    intent   = intent.incident_status
    response = response.ask_email
  }

  turn {
    user     = "wang.xiaoming@example.com"
    response = response.incidents
    reply    = ["工单 INC0000017：“打印机无法连接”，2026-11-21 10:30:00 提交，已暂停\n"]
    dialog   = "none"
  }
}

test "zh: an unknown email" {
  turn {
    user     = "帮我查工单状态"
    response = response.ask_email
  }

  turn {
    user     = "nobody@example.com"
    response = response.no_email
    reply    = ["抱歉，工单系统里没有“nobody@example.com”这个邮箱，请再试一次。"]
    dialog   = dialog.incident_status
  }

  turn {
    user     = "wang.xiaoming@example.com"
    response = response.incidents
  }
}

test "zh: a person, after asking" {
  agents_online = { it_support = 1 }

  turn {
    user     = "转人工"
    intent   = intent.human_handoff
    response = response.ask_handoff
  }

  turn {
    user     = "是的"
    handoff  = queue.it_support
    response = response.handoff
    reply    = ["好的，正在为您转接同事，请稍候。"]
  }
}

test "zh: a question in the middle of an incident" {
  turn {
    user     = "帮我开个工单"
    response = response.ask_email
  }

  turn {
    user      = "你能做什么"
    responses = [response.help, response.ask_email]
    dialog    = dialog.open_incident
  }

  turn {
    user     = "wang.xiaoming@example.com"
    response = response.ask_priority
  }
}
