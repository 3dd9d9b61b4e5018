# When a person takes over.

test "asking for a person hands off to the general queue" {
  turn {
    user     = "I want to speak to a person"
    intent   = intent.human
    handoff  = queue.general
    response = response.handoff_general
  }

  turn {
    user  = "hello? anyone?"
    reply = [] # with a human now: the bot stays quiet
  }
}

test "a VIP customer gets the VIP team" {
  customer = { name = "Bo", vip = true }

  turn {
    user       = "connect me to an agent"
    handoff    = queue.vip
    response   = response.handoff_vip
    reply_glob = "*Bo*VIP*"
  }
}

test "an angry customer goes to the priority queue" {
  turn {
    user     = "This is ridiculous! Worst service ever, I'm furious"
    handoff  = queue.priority
    response = response.handoff_angry
  }
}

test "three messages the bot does not understand bring in a person" {
  turn {
    user     = "blorp zzyzx"
    intent   = "none"
    response = response.not_understood
  }

  turn {
    user     = "qwerty asdf"
    response = response.not_understood
  }

  turn {
    user     = "flibbertigibbet"
    handoff  = queue.general
    response = response.handoff_stuck
  }
}

test "asking for a person after hours takes a message" {
  now = "2026-11-22T21:00:00+08:00" # Sunday evening

  turn {
    user     = "talk to a human"
    response = response.after_hours
    dialog   = dialog.leave_message
  }

  turn {
    user     = "call me maybe"
    response = response.invalid_phone
  }

  turn {
    user     = "13812345678"
    response = response.ask_message
  }

  turn {
    user     = "My laptop screen flickers, please call me"
    ticket   = queue.callbacks
    response = response.message_taken
    dialog   = "none"
  }
}

test "an upset customer after hours gets an apology and a call back" {
  now = "2026-11-28T19:30:00+08:00" # Saturday evening, after closing

  turn {
    user     = "This is absolutely terrible, I'm furious, nobody ever helps!"
    response = response.after_hours_sorry
    dialog   = dialog.leave_message
  }

  turn {
    user     = "my number is 13900000002"
    slots    = { phone = "13900000002" }
    entities = { phone = "13900000002" }
    response = response.ask_message
  }

  turn {
    user     = "My order EF111111 arrived broken and I want it sorted out"
    ticket   = queue.callbacks
    response = response.message_taken
    dialog   = "none"
  }
}

test "a call back needs a phone number that works" {
  turn {
    user     = "can someone call me back"
    response = response.ask_phone
  }

  turn {
    user     = "call me at home"
    response = response.invalid_phone
  }

  turn {
    user     = "it's 555"
    response = response.invalid_phone
  }

  turn {
    user     = "you have it already"
    response = response.error
    dialog   = "none"
  }
}

test "a message left in Chinese" {
  turn {
    user     = "请客服给我回电话"
    intent   = intent.leave_message
    response = response.ask_phone
  }

  turn {
    user     = "13812345678"
    entities = { phone = "13812345678" }
    response = response.ask_message
  }

  turn {
    user       = "我的耳机左边没有声音，想换一个"
    ticket     = queue.callbacks
    response   = response.message_taken
    reply_glob = "已为您留言*"
  }
}

# The README's demo failed outside office hours: "I want to talk to a human"
# at 06:33 in Shanghai took a message although an agent was online.
test "after hours, an agent who is online still takes the chat" {
  now           = "2026-11-24T06:33:00+08:00" # Tuesday, before opening
  agents_online = { general = 1 }

  turn {
    user     = "I want to talk to a human"
    handoff  = queue.general
    response = response.handoff_general
  }
}

# Issue 14: "stuck" after hours started leave_message, and the valid phone
# number it asked for was never accepted: the policy fired again and again.
test "stuck after hours: the message is taken" {
  now = "2026-11-22T21:00:00+08:00" # Sunday evening

  turn {
    user = "blorp zzyzx"
  }

  turn {
    user = "qwerty asdf"
  }

  turn {
    user     = "flibbertigibbet"
    response = response.after_hours
    dialog   = dialog.leave_message
  }

  turn {
    user     = "13812345678"
    slots    = { phone = "13812345678" }
    response = response.ask_message
  }

  turn {
    user     = "nobody understands me, please call"
    ticket   = queue.callbacks
    response = response.message_taken
    dialog   = "none"
  }
}
