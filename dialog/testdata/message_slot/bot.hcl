# A message taken after hours, whatever it asks (docs/language.md, "Handoff
# and after-hours"), next to a note that gives way to a question.
bot "message_slot" {
  languages = ["zh", "en"]
}

intent "book" {
  examples = ["预约洗牙", "我想预约", "book a cleaning"]
}

intent "leave_message" {
  examples = ["我要留言", "leave a message"]
}

intent "note" {
  examples = ["加个备注", "add a note"]
}

intent "emergency" {
  examples = ["牙疼得受不了", "my face is swollen"]
}

queue "front_desk" {}

handoff "emergency" {
  when  = intent.name == "emergency"
  queue = queue.front_desk
  reply = "马上为您转接"
}

dialog "book" {
  trigger = [intent.book]

  slot "day" {
    type   = date
    prompt = "哪天？"
  }

  outcome "booked" {
    reply = "约好了"
  }
}

dialog "leave_message" {
  trigger = [intent.leave_message]

  slot "message" {
    type        = text
    prompt      = "请留言："
    digressions = false
  }

  outcome "taken" {
    ticket {
      queue   = queue.front_desk
      subject = "留言：${slot.message}"
    }
    reply = "已收到留言"
  }
}

dialog "note" {
  trigger = [intent.note]

  slot "note" {
    type   = text
    prompt = "备注："
  }

  outcome "noted" {
    reply = "已备注"
  }
}
