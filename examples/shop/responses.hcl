# What the bot says. Each language may list several variants; the bot picks one.
# ${...} inserts a value. Buttons offer quick replies: an intent, or "yes" / "no".

response "not_understood" {
  en = [
    "Sorry, I didn't get that. Could you say it another way?",
    "I'm not sure I understood. Could you rephrase?",
  ]
  zh = "抱歉，我没有理解。能换个说法吗？"

  button "track_order" {
    en = "Track an order"
    zh = "查询订单"
  }
  button "human" {
    en = "Talk to a person"
    zh = "转人工"
  }
}

response "error" {
  en = "Something went wrong on our side. Please try again in a moment."
  zh = "系统出了点问题，请稍后再试。"
}

response "goodbye" {
  en = "Thanks for shopping with us. Goodbye!"
  zh = "感谢您的光临，再见！"
}

response "greet" {
  en = "Hi${customer.name != "" ? " ${customer.name}" : ""}! I can track orders, handle refunds and change delivery addresses. What can I do for you?"
  zh = "您好！我可以帮您查订单、办退款、改地址。请问有什么可以帮您？"
}

response "ask_order_id" {
  en = "What's your order number? It looks like AB123456."
  zh = "请提供您的订单号，格式如 AB123456。"
}

response "invalid_order_id" {
  en = "That doesn't look like an order number. It's two letters and six digits, like AB123456."
  zh = "订单号格式不对，应为两个字母加六位数字，例如 AB123456。"
}

response "order_not_found" {
  en = "I couldn't find order ${slot.order_id}. Could you check the number?"
  zh = "没有找到订单 ${slot.order_id}，请核对订单号。"
}

# Said when the order system is down or too slow (on_unavailable / on_timeout).
response "orders_unavailable" {
  en = "Sorry, our order system isn't answering right now, so I can't look up order ${slot.order_id}. I've opened ticket ${ticket.id} and a colleague will get back to you as soon as it's back."
  zh = "抱歉，订单系统暂时无法访问，查不到订单 ${slot.order_id}。已为您创建工单 ${ticket.id}，系统恢复后同事会尽快联系您。"
}

response "order_shipped" {
  en = "Order ${slot.order_id} has shipped with ${call.order.carrier} and should arrive on ${call.order.eta}."
  zh = "订单 ${slot.order_id} 已由${call.order.carrier}发出，预计 ${call.order.eta} 送达。"
}

response "order_status" {
  en = "Order ${slot.order_id} is ${label("order_status", call.order.status)}. Expected delivery: ${call.order.eta}."
  zh = "订单 ${slot.order_id} 当前状态：${label("order_status", call.order.status)}，预计 ${call.order.eta} 送达。"

  case { # already there: no "expected delivery" on a past date
    when = call.order.status == "delivered"
    en   = "Order ${slot.order_id} was delivered on ${call.order.eta}."
    zh   = "订单 ${slot.order_id} 已于 ${call.order.eta} 签收。"
  }

  button "refund" { # carries the order number: no need to ask it again
    en    = "Request a refund"
    zh    = "申请退款"
    slots = { order_id = slot.order_id }
  }
}

response "ask_refund_reason" {
  en            = "What's the reason for the refund: damaged, wrong item, arrived late, or changed your mind?"
  zh            = "请问退款原因是：商品损坏、发错货、太慢没收到，还是不想要了？"
  value_buttons = refund_reason # one button per reason, labelled in the customer's language
}

response "confirm_refund" {
  en = "To confirm: refund order ${slot.order_id} (${money(call.order.total, var.currency)}) because ${label("refund_reason", slot.reason)}. Shall I go ahead?"
  zh = "确认一下：订单 ${slot.order_id}（${money(call.order.total, var.currency)}）因「${label("refund_reason", slot.reason)}」申请退款，是否继续？"

  button "yes" {
    en = "Yes, refund it"
    zh = "确认退款"
  }
  button "no" {
    en = "No"
    zh = "不用了"
  }
}

response "refund_approved" {
  en = "Done! Your refund of ${money(call.order.total, var.currency)} for order ${slot.order_id} is approved (reference ${call.refund.refund_id}). It reaches your account in 3-5 working days."
  zh = "已为订单 ${slot.order_id} 退款 ${money(call.order.total, var.currency)}（退款号 ${call.refund.refund_id}），3-5 个工作日到账。"
}

response "refund_rejected" {
  en = "Our order system can't refund order ${slot.order_id}: it has already been refunded. If that doesn't sound right, ask for a person and we'll look into it."
  zh = "订单 ${slot.order_id} 无法退款：该订单已经退过款了。如有疑问，请转人工，我们会帮您核实。"
}

response "refund_not_confirmed" {
  en = "I couldn't get a confirmation from our order system for the refund of order ${slot.order_id}. Don't worry, it will never be refunded twice: our refunds team will check and finish it (ticket ${ticket.id})."
  zh = "暂时没能从订单系统确认订单 ${slot.order_id} 的退款。请放心，同一笔退款不会重复支付：退款团队会核实并完成处理（工单号 ${ticket.id}）。"
}

response "refund_under_review" {
  en = "Your refund request for order ${slot.order_id} is with our refunds team (ticket ${ticket.id}). You'll hear from us within 2 working days."
  zh = "订单 ${slot.order_id} 的退款申请已提交审核（工单号 ${ticket.id}），我们会在 2 个工作日内联系您。"
}

response "refund_needs_supervisor" {
  en = "Refunds over ${money(var.supervisor_limit, var.currency)} need a supervisor's approval. I've asked for it, and I'll tell you here as soon as they decide."
  zh = "超过 ${money(var.supervisor_limit, var.currency)} 的退款需要主管审批。已为您提交申请，审批结果会在这里通知您。"
}

response "refund_declined" {
  en = "I'm sorry: a supervisor did not approve the refund of order ${slot.order_id}. Ask for a person if you'd like to talk it over."
  zh = "抱歉，主管未批准订单 ${slot.order_id} 的退款。如需沟通，请转人工。"
}

response "refund_approval_expired" {
  en = "Nobody could approve the refund of order ${slot.order_id} in time, so our refunds team has it now (ticket ${ticket.id}). They'll contact you within 2 working days."
  zh = "订单 ${slot.order_id} 的退款未能及时审批，已转给退款团队处理（工单号 ${ticket.id}），我们会在 2 个工作日内联系您。"
}

response "refund_kept" {
  en = "OK, I won't refund it. Anything else I can help with?"
  zh = "好的，不退款了。还有其他可以帮您的吗？"
}

response "ask_address" {
  en = "What's the new delivery address? Please include street, city and postcode."
  zh = "请提供新的收货地址（包括街道、城市和邮编）。"
}

response "address_too_short" {
  en = "That address looks incomplete. Please give the street, city and postcode."
  zh = "地址好像不完整，请包含街道、城市和邮编。"
}

response "address_give_up" {
  en = "I still couldn't get a complete address. You can change it any time under My Orders."
  zh = "还是没能获取完整地址。您也可以在“我的订单”中修改。"
}

response "confirm_address" {
  en = "Change the address of order ${slot.order_id} to \"${slot.address}\"?"
  zh = "将订单 ${slot.order_id} 的地址改为「${slot.address}」吗？"
}

response "address_updated" {
  en = "Done. Order ${slot.order_id} will go to ${slot.address}."
  zh = "已修改，订单 ${slot.order_id} 将寄往 ${slot.address}。"
}

response "address_not_updated" {
  en = "I couldn't save the new address for order ${slot.order_id} just now. I've passed it to a colleague who will update it for you (ticket ${ticket.id})."
  zh = "暂时没能保存订单 ${slot.order_id} 的新地址，已转交同事为您修改（工单号 ${ticket.id}）。"
}

response "address_too_late" {
  en = "Order ${slot.order_id} is already ${label("order_status", call.order.status)}, so its address can't be changed any more."
  zh = "订单 ${slot.order_id} ${label("order_status", call.order.status)}，无法再修改地址。"
}

response "return_policy" {
  en = "You can return most items within 30 days of delivery, unused and in their original packaging. Damaged or wrong items are always free to return."
  zh = "大部分商品在签收后 30 天内可退货，需未使用且包装完好。商品损坏或发错货可免费退回。"
}

response "handoff_general" {
  en = "I'm connecting you to one of our team. Please hold on."
  zh = "正在为您转接人工客服，请稍候。"
}

response "handoff_vip" {
  en = "Of course${customer.name != "" ? ", ${customer.name}" : ""}. I'm connecting you to your VIP care team now."
  zh = "好的，正在为您转接 VIP 专属客服。"
}

response "handoff_angry" {
  en = "I'm really sorry about this. Let me get a senior member of the team for you right away."
  zh = "非常抱歉给您带来不便，我马上为您转接高级客服。"
}

response "handoff_stuck" {
  en = "I'm having trouble understanding, so let me bring in a colleague who can help."
  zh = "抱歉我没能理解，我帮您转接人工客服。"
}

response "after_hours_sorry" {
  en = "I'm really sorry about this. Our team is away right now (we're here 9:00-18:00 on weekdays and 10:00-16:00 on Saturdays, Beijing time), so let me take a message and a senior colleague will call you first thing."
  zh = "非常抱歉给您带来不便。现在是非工作时间（工作日 9:00-18:00、周六 10:00-16:00），我先帮您留言，高级客服会第一时间回电。"
}

response "after_hours" {
  en = "Our team is available 9:00-18:00 on weekdays and 10:00-16:00 on Saturdays (Beijing time). I can take a message and we'll call you back."
  zh = "人工客服工作时间为工作日 9:00-18:00、周六 10:00-16:00（北京时间）。我可以帮您留言，我们会回电。"
}

response "ask_phone" {
  en = "What number should we call you on?"
  zh = "请留下您的联系电话。"
}

response "invalid_phone" {
  en = "That doesn't look like a phone number. Please type it with digits only, e.g. 13812345678."
  zh = "电话号码格式不对，请只输入数字，例如 13812345678。"
}

response "ask_message" {
  en = "What would you like us to know?"
  zh = "请问您想留言什么内容？"
}

response "message_taken" {
  en = "Thanks, I've passed your message on (ticket ${ticket.id}). We'll call you back on the next working day."
  zh = "已为您留言（工单号 ${ticket.id}），我们会在下一个工作日回电。"
}

response "knowledge_answer" {
  en = "${knowledge.answer}\n\n(Source: ${knowledge.title})"
  zh = "${knowledge.answer}\n\n（来源：${knowledge.title}）"
}

# Answers that need no dialog: an intent and what to say.
answer "greet" {
  intent = intent.greet
  reply  = response.greet
}

answer "return_policy" {
  intent = intent.return_policy
  reply  = response.return_policy
}

answer "goodbye" {
  intent = intent.goodbye
  reply  = response.goodbye
  end    = true
}

# What customers are told as their tickets move on (the tickets block in
# handoff.hcl). ticket.* is the ticket they are about.
response "ticket_received" {
  en = "Thanks for writing to us. Your request is ticket ${ticket.id}; our ${ticket.queue} team will get back to you."
  zh = "感谢来信。您的请求工单号为 ${ticket.id}，我们的团队会尽快回复您。"
}

response "ticket_pending" {
  en = "We need a little more from you to go on with ticket ${ticket.id} (${ticket.subject}): please reply to this message."
  zh = "工单 ${ticket.id}（${ticket.subject}）需要您补充一些信息，请回复本消息。"
}

response "ticket_solved" {
  en = "Good news: ticket ${ticket.id} (${ticket.subject}) is solved. Reply within 7 days if anything is still wrong and we'll reopen it."
  zh = "好消息：工单 ${ticket.id}（${ticket.subject}）已解决。如仍有问题，请在 7 天内回复，我们会重新处理。"
}

response "ticket_reopened" {
  en = "Ticket ${ticket.id} (${ticket.subject}) is open again; we're on it."
  zh = "工单 ${ticket.id}（${ticket.subject}）已重新打开，我们正在处理。"
}
