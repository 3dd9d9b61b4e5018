# The agent console. Quick replies are canned answers agents insert by typing
# "/" in the reply box; each is filled in for the conversation at hand, and
# anything it does not know yet shows as [slot.order_id] for the agent to fill.

inbox {
  # Agents claim conversations themselves; set true to hand waiting
  # conversations to online agents with room (an admin can override it per agent).
  auto_assign = false
}

quick_reply "greeting" {
  title = "Greeting"
  en    = "Hi ${customer.name}, this is ${agent.name} from the shop. I'm looking at your conversation now."
  zh    = "${customer.name}您好，我是客服${agent.name}，正在查看您的问题。"
}

quick_reply "order_delayed" {
  title = "Order delayed"
  en    = "I'm sorry order ${slot.order_id} is late. I've asked the warehouse to hurry it and will update you by tomorrow."
  zh    = "很抱歉订单 ${slot.order_id} 延迟了。我已催促仓库尽快发货，明天前给您回复。"
}

quick_reply "refund_approved" {
  title = "Refund approved"
  en    = "Good news: the refund for order ${slot.order_id} is approved. It reaches your account in 3-5 working days."
  zh    = "好消息：订单 ${slot.order_id} 的退款已批准，3-5 个工作日到账。"
}

quick_reply "vip_thanks" {
  title = "VIP thanks"
  en    = "Thank you for being a ${customer.tier} member, ${customer.name}. I'll make sure this is sorted today."
  zh    = "感谢您一直以来的支持（${customer.tier} 会员），${customer.name}，我会确保今天为您处理好。"
}

quick_reply "goodbye" {
  title = "Goodbye"
  en    = "Is there anything else I can help with? If not, have a lovely day!"
  zh    = "请问还有其他可以帮您的吗？祝您生活愉快！"
}
