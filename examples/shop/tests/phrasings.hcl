# How customers actually put things: one table per request, in English and
# Chinese. Each element of for_each is a case of its own, named after its key
# ("customers ask where their order is["parcel late"]"), so a failure says which
# phrasing the bot did not understand.

test "customers ask where their order is" {
  for_each = {
    "parcel late"    = "My parcel still hasn't shown up, can you check on it?"
    "tracking"       = "Could you give me the tracking info for my purchase?"
    "when delivered" = "When is my delivery going to get here?"
    "shipped yet"    = "Has my stuff been sent out yet?"
    "been a week"    = "I ordered a week ago and nothing has arrived"
    "package status" = "what's happening with my package"
    "zh where"       = "我买的东西到哪里了？"
    "zh shipped"     = "请问我的订单发货了吗"
    "zh how long"    = "快递还要几天才能到？"
    "zh check"       = "帮我查查物流信息"
  }

  turn {
    user     = each.value
    intent   = intent.track_order
    response = response.ask_order_id
    dialog   = dialog.track_order
  }
}

test "customers give the order number with the question" {
  for_each = {
    "shipped" = { user = "Where's order AB123456? It was supposed to come this week.", order = "AB123456", response = response.order_shipped }
    "lower"   = { user = "can u track ab123456 for me", order = "AB123456", response = response.order_shipped }
    "pending" = { user = "Any news on my order CD654321?", order = "CD654321", response = response.order_status }
    "zh"      = { user = "订单 EF111111 现在什么状态？", order = "EF111111", response = response.order_status }
    "zh ship" = { user = "JK500000 这个单子发货没有", order = "JK500000", response = response.order_shipped }
  }

  turn {
    user     = each.value.user
    intent   = intent.track_order
    entities = { order_id = each.value.order }
    slots    = { order_id = each.value.order }
    calls    = [connector.orders.get_order]
    response = each.value.response
    dialog   = "none"
  }
}

test "customers ask for their money back" {
  for_each = {
    "money back"   = "I'd like to get my money back for something I bought"
    "return it"    = "Can I send this back and get a refund?"
    "not happy"    = "I'm not happy with what I received and want a refund"
    "reimburse"    = "How do I get reimbursed for my order?"
    "refund pls"   = "refund please"
    "zh tui kuan"  = "我想申请退款"
    "zh tui qian"  = "东西不想要了，能退钱吗"
    "zh huan qian" = "这个订单能退款吗？"
  }

  turn {
    user     = each.value
    intent   = intent.refund
    response = response.ask_order_id
    dialog   = dialog.refund
  }
}

test "customers want the parcel sent elsewhere" {
  for_each = {
    "new address" = "I need my order delivered to a new address"
    "moved"       = "I've just moved house, can you update where my order goes?"
    "typo"        = "I made a mistake in the shipping address"
    "office"      = "Please ship it to my office instead of my home"
    "zh change"   = "我想改一下收货地址"
    "zh wrong"    = "地址填错了，能帮我改吗"
    "zh move"     = "我搬家了，要换个收货地址"
  }

  turn {
    user     = each.value
    intent   = intent.change_address
    response = response.ask_order_id
    dialog   = dialog.change_address
  }
}

test "customers ask about returns" {
  for_each = {
    "window"   = "How long do I have to send something back?"
    "policy"   = "What is your policy on returns?"
    "opened"   = "Can I return an item I have already opened?"
    "how"      = "How do I return something I bought?"
    "zh days"  = "收到货多少天内能退？"
    "zh rules" = "退货需要满足什么条件？"
  }

  turn {
    user     = each.value
    intent   = intent.return_policy
    response = response.return_policy
    dialog   = "none"
  }
}

test "customers ask for a person" {
  for_each = {
    "real human"  = "Can I talk to a real human please?"
    "agent"       = "I'd like to speak with an agent"
    "operator"    = "get me a customer service rep"
    "no bot"      = "I don't want to chat with a bot, I want a person"
    "zh ren gong" = "帮我转人工客服"
    "zh zhen ren" = "我要跟真人说话"
  }

  turn {
    user     = each.value
    intent   = intent.human
    handoff  = queue.general
    response = response.handoff_general
  }
}

test "greetings and goodbyes" {
  for_each = {
    "hey"        = { user = "hey, good afternoon", intent = intent.greet, response = response.greet }
    "hello"      = { user = "Hello there!", intent = intent.greet, response = response.greet }
    "zh hi"      = { user = "你好呀", intent = intent.greet, response = response.greet }
    "zh morning" = { user = "早上好，在吗？", intent = intent.greet, response = response.greet }
    "thanks bye" = { user = "ok thank you, bye", intent = intent.goodbye, response = response.goodbye }
    "all good"   = { user = "that's everything, thanks a lot", intent = intent.goodbye, response = response.goodbye }
    "zh bye"     = { user = "好的谢谢，再见", intent = intent.goodbye, response = response.goodbye }
  }

  turn {
    user     = each.value.user
    intent   = each.value.intent
    response = each.value.response
  }
}

test "customers ask to be called back" {
  for_each = {
    "call me"     = "Could somebody give me a call?"
    "message"     = "I'd like to leave a message for your team"
    "ring"        = "please ring me back when you can"
    "zh hui dian" = "麻烦给我回个电话"
    "zh liu yan"  = "我想给客服留个言"
  }

  turn {
    user     = each.value
    intent   = intent.leave_message
    response = response.ask_phone
    dialog   = dialog.leave_message
  }
}
