# A bot for the tests of the language's second edition: memory, locals,
# defaults, dialog stack control, several replies, fire-once, live facts.

bot "second_edition" {
  languages            = ["en", "zh"]
  confidence_threshold = 0.5

  business_hours {
    time_zone = "Asia/Shanghai"
    weekdays  = "09:00-18:00"
  }
}

intent "refund" {
  examples = ["refund", "refund please", "I want refund", "refund now", "can you refund"]
}
intent "track" {
  examples = ["track", "track please", "I want track", "track now", "can you track"]
}
intent "transfer" {
  examples = ["transfer", "transfer please", "I want transfer", "transfer now", "can you transfer"]
}
intent "pay_card" {
  examples = ["pay card", "pay card please", "I want pay card", "pay card now", "can you pay card"]
}
intent "hours" {
  examples = ["hours", "hours please", "I want hours", "hours now", "can you hours"]
}
intent "human" {
  examples = ["human", "human please", "I want human", "human now", "can you human"]
}
intent "greet" {
  examples = ["hi", "hi please", "I want hi", "hi now", "can you hi"]
}
intent "search" {
  examples = ["search", "search please", "I want search", "search now", "can you search"]
}
intent "search_returns" {
  examples = ["search returns", "search returns please", "I want search returns", "search returns now", "can you search returns"]
}
intent "contact" {
  examples = ["contact", "contact please", "I want contact", "contact now", "can you contact"]
}
intent "leave_message" {
  examples = ["leave a message", "leave a message please", "I want leave a message", "leave a message now", "can you leave a message"]
}
intent "incident" {
  examples = ["open an incident", "open an incident please", "I want open an incident", "open an incident now", "can you open an incident"]
}

entity "order_id" {
  pattern     = "[A-Z]{2}[0-9]{6}"
  ignore_case = true
}

entity "reason" {
  values = {
    damaged = ["broken"]
    late    = ["too late"]
  }
  labels = {
    damaged = { en = "It arrived damaged", zh = "商品损坏" }
    late    = { en = "It came too late", zh = "太慢了" }
  }
}

labels "status" {
  values = {
    processing = { en = "being prepared", zh = "备货中" }
    shipped    = { en = "on its way", zh = "已发货" }
    delivered  = { en = "delivered", zh = "已送达" }
  }
}

entity "account" {
  values = {
    checking = ["current"]
    savings  = []
  }
}

connector "bank" {
  type = "fixture"
  data = {
    orders = {
      AB123456 = { status = "shipped", total = 320 }
      CD654321 = { status = "delivered", total = 1280 }
    }
    accounts = {
      checking = { balance = 100 }
      savings  = { balance = 5000 }
    }
    users = {
      "ann@example.com" = { sys_id = "U1" }
    }
  }

  operation "get_order" {
    input  = { order_id = string }
    output = { status = string, total = number }
    lookup = "orders"
  }

  operation "find_user" {
    input  = { email = string }
    output = { sys_id = string }
    lookup = "users"
  }

  operation "balance" {
    input  = { account = string }
    output = { balance = number }
    lookup = "accounts"
  }
}

queue "general" {
  skill = "cs"
}

queue "vip" {
  skill = "vip"
}

queue "callbacks" {}

locals {
  fee   = 2
  total = slot.amount + local.fee
}

# Shared, and remembered: a later dialog starts from the order already given.
slot "order_id" {
  type     = order_id
  prompt   = "Order number?"
  remember = true
}

call "order" {
  operation = connector.bank.get_order
  input     = { order_id = slot.order_id }

  on_not_found {
    reply = "No order ${slot.order_id}."
    reask = slot.order_id
  }
}

response "greet" {
  en = "Hello!"
  zh = "您好！"
}

response "offer_help" {
  en = "I can track orders and refund them. Can I help?"
  zh = "我可以查订单、办退款。需要帮忙吗？"
}

response "status" {
  en = "Order ${slot.order_id} is ${label("status", call.order.status)}."
  zh = "订单 ${slot.order_id}：${label("status", call.order.status)}。"

  case {
    when = call.order.status == "delivered"
    en   = "Order ${slot.order_id} was delivered."
    zh   = "订单 ${slot.order_id} 已送达。"
  }

  case {
    when = conversation.channel == "sms"
    en   = "${slot.order_id}: ${call.order.status}"
    zh   = "${slot.order_id}：${label("status", call.order.status)}"
  }

  button "refund" {
    en    = "Refund it"
    zh    = "退款"
    slots = { order_id = slot.order_id }
  }
}

response "ask_reason" {
  en            = "Why?"
  zh            = "原因？"
  value_buttons = reason
}

response "refunded" {
  en = "Refunding ${slot.order_id} because: ${label("reason", slot.reason)}."
  zh = "已为 ${slot.order_id} 退款：${label("reason", slot.reason)}。"
}

response "anything_else" {
  en = "Anything else?"
  zh = "还有别的吗？"
}

answer "greet" {
  intent = intent.greet
  reply  = [response.greet, response.offer_help]
}

answer "hours" {
  intent = intent.hours
  reply  = "We're open 9-6."
}

dialog "track" {
  trigger = [intent.track]
  title   = { en = "tracking your order", zh = "查询订单" }

  slot "order_id" {}
  call "order" {}

  outcome "found" {
    reply = response.status
  }
}

dialog "refund" {
  trigger = [intent.refund]
  title   = { en = "your refund", zh = "退款" }

  slot "order_id" {}
  call "order" {}

  slot "reason" {
    type   = reason
    prompt = response.ask_reason
  }

  outcome "done" {
    remember = { last_refund = slot.order_id }
    reply    = [response.refunded, response.anything_else]
  }
}

dialog "transfer" {
  trigger       = [intent.transfer]
  title         = { en = "your transfer", zh = "转账" }
  interrupt     = "ask"
  resume        = "ask"
  resume_prompt = "Go back to the transfer?"

  slot "account" {
    type   = account
    prompt = "From which account?"
  }

  call "balance" {
    operation = connector.bank.balance
    input     = { account = slot.account }
  }

  slot "amount" {
    type     = money
    prompt   = "How much?"
    validate = local.total <= call.balance.balance
    invalid  = "Not enough money for ${slot.amount} plus the fee."
    retries  = 1

    on_exhausted {
      offer_continue = "Shall we carry on with the transfer?"
    }
  }

  outcome "sent" {
    reply = "Sent ${local.total}, fee included."
  }
}

dialog "pay_card" {
  trigger = [intent.pay_card]
  title   = { en = "paying your card", zh = "还信用卡" }

  slot "amount" {
    type   = money
    prompt = "How much to pay?"
  }

  outcome "paid" {
    remember = { paid = coalesce(memory.paid, 0) + slot.amount }
    reply    = "Paid ${slot.amount}; ${memory.paid} in all."
  }
}

dialog "search" {
  trigger   = [intent.search, intent.search_returns]
  interrupt = "abandon"

  # The intent that starts the search fixes its kind.
  slot "kind" {
    type    = text
    default = lookup({ search_returns = "returns" }, intent.name, "")
    prompt  = "Search what?"
  }

  outcome "found" {
    reply = "Searching ${slot.kind}."
  }
}

dialog "contact" {
  trigger = [intent.contact]

  slot "email" {
    type         = email
    prompt       = "Your email?"
    remember     = true
    reuse_prompt = "Use ${memory.email} again?"
  }

  slot "topic" {
    type        = text
    prompt      = "What about?"
    digressions = false
  }

  outcome "sent" {
    reply = "We'll write to ${slot.email} about ${slot.topic}."
  }
}

dialog "leave_message" {
  trigger = [intent.leave_message]

  slot "phone" {
    type    = phone
    prompt  = "Your number?"
    invalid = "That's not a number."
  }

  slot "message" {
    type   = text
    prompt = "Your message?"
  }

  outcome "taken" {
    ticket {
      queue   = queue.callbacks
      subject = "Call ${slot.phone}"
    }
    reply = "Message taken (${ticket.id})."
  }
}

handoff "asked" {
  when  = intent.name == "human"
  queue = customer.vip ? queue.vip : queue.general
  reply = "Connecting you."
}

handoff "angry" {
  when  = sentiment <= -0.6
  queue = queue.general
  once  = true
  reply = "Sorry! Getting someone."
}

handoff "stuck" {
  when  = conversation.failures >= 2
  queue = queue.general
  reply = "Let me get a colleague."
}

rule "thumbs_up" {
  on    = message
  when  = conversation.last_response == "offer_help" && entity.yes_no == "yes"
  once  = true
  reply = "👍 What can I do?"
}

rule "after_hours" {
  on    = handoff
  when  = !business_hours.open && handoff.agents_online == 0
  reply = "Closed (${handoff.reason} wanted ${handoff.queue}); leave a message."
  start = dialog.leave_message
}

# A value checked by a call that reads it: the directory must know the email.
dialog "incident" {
  trigger = [intent.incident]

  slot "email" {
    type     = email
    prompt   = "Your email?"
    validate = call.user.sys_id != null
    invalid  = "Sorry, \"${slot.email}\" isn't in our directory."
    retries  = 3
  }

  call "user" {
    operation = connector.bank.find_user
    input     = { email = slot.email }
  }

  outcome "opened" {
    reply = "Incident opened for ${call.user.sys_id}."
  }
}
