# A small bot for the dialog engine's tests: every feature, few words.

bot "mini" {
  languages            = ["en", "zh"]
  confidence_threshold = 0.5
  session_timeout      = "30m"

  business_hours {
    time_zone = "Asia/Shanghai"
    weekdays  = "09:00-18:00"
    saturday  = "closed"
    sunday    = "closed"
  }

  replies {
    not_understood = response.not_understood
    error          = response.error
    goodbye        = response.goodbye
  }
}

intent "refund" { examples = ["refund"] }
intent "track" { examples = ["track"] }
intent "hours" { examples = ["hours"] }
intent "bye" { examples = ["bye"] }
intent "human" { examples = ["human"] }
intent "loop" { examples = ["loop"] }
intent "loop_other" { examples = ["loop other"] }
intent "callback" { examples = ["callback"] }

entity "order_id" {
  pattern     = "[A-Z]{2}[0-9]{6}"
  ignore_case = true
}

entity "reason" {
  values = {
    damaged = ["broken"]
    late    = ["too late"]
  }
}

connector "orders" {
  type = "fixture"
  data = {
    orders = {
      AB123456 = { status = "shipped", total = 320 }
      CD654321 = { status = "processing", total = 1280 }
    }
  }
  operation "get_order" {
    input  = ["order_id"]
    lookup = "orders"
  }
  operation "refund" {
    input   = ["order_id"]
    respond = { refund_id = "RF-{order_id}" }
  }
}

queue "general" {
  skill = "cs"
}

queue "callbacks" {
  skill    = "callbacks"
  priority = "low"
}

response "not_understood" {
  en = "Sorry?"
  zh = "什么？"
  button "track" {
    en = "Track"
    zh = "查询"
  }
}

response "error" {
  en = "Oops."
  zh = "出错了。"
}

response "goodbye" {
  en = "Bye!"
  zh = "再见！"
}

response "confirm_refund" {
  en = "Refund ${slot.order_id} (${call.order.total})?"
  zh = "退款 ${slot.order_id}？"
  button "yes" {
    en = "Yes"
    zh = "是"
  }
  button "no" {
    en = "No"
    zh = "否"
  }
}

answer "hours" {
  intent = intent.hours
  reply = {
    en = "We're open 9-6."
    zh = "九点到六点。"
  }
}

answer "bye" {
  intent = intent.bye
  reply  = response.goodbye
  end    = true
}

dialog "refund" {
  trigger = [intent.refund]

  slot "order_id" {
    type    = order_id
    prompt  = "Order number?"
    invalid = "Bad order number."
    retries = 1
    on_exhausted {
      reply   = "Let me get someone."
      handoff = queue.general
    }
  }

  call "order" {
    operation = connector.orders.get_order
    input     = { order_id = slot.order_id }
    on_error {
      reply = "No order ${slot.order_id}."
      reask = slot.order_id
    }
  }

  slot "reason" {
    type   = reason
    prompt = "Why?"
  }

  confirm {
    prompt = response.confirm_refund
  }

  outcome "done" {
    call "refund" {
      operation = connector.orders.refund
      input     = { order_id = slot.order_id }
    }
    reply = "Refunded ${slot.order_id}: ${call.refund.refund_id}."
  }
}

dialog "track" {
  trigger = [intent.track]

  slot "order_id" {
    type   = order_id
    prompt = "Which order?"
  }

  call "order" {
    operation = connector.orders.get_order
    input     = { order_id = slot.order_id }
  }

  outcome "status" {
    reply = "Order ${slot.order_id} is ${call.order.status}."
  }
}

dialog "loop_a" {
  trigger = [intent.loop]
  outcome "next" {
    start = dialog.loop_b
  }
}

dialog "loop_b" {
  trigger = [intent.loop_other]
  outcome "next" {
    start = dialog.loop_a
  }
}

dialog "callback" {
  trigger = [intent.callback]

  slot "phone" {
    type     = phone
    prompt   = "Your number?"
    validate = length(slot.phone) >= 11
    invalid  = "Too short."
    retries  = 2
  }

  slot "note" {
    type   = text
    prompt = "Your message?"
  }

  outcome "taken" {
    ticket {
      queue   = queue.callbacks
      subject = "Call ${slot.phone}: ${slot.note}"
    }
    reply = "Ticket ${ticket.id}."
  }
}

handoff "human" {
  when  = intent.name == "human"
  queue = queue.general
  reply = "Connecting you."
}

handoff "stuck" {
  when  = conversation.failures >= 3
  queue = queue.general
  reply = "Let me get a colleague."
}

rule "after_hours" {
  on    = handoff
  when  = !business_hours.open
  reply = "We're closed; leave a message."
  start = dialog.callback
}
