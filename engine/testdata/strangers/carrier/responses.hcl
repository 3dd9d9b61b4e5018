response "not_understood" {
  en = "Sorry, I didn't get that. I can help with plans, data top-ups, SIM cards, roaming, bills and network problems."
  zh = "抱歉，我没太明白。我可以帮您办理套餐变更、流量充值、补换卡、国际漫游、账单问题和网络故障。"
}

response "goodbye" {
  en = "Thanks for contacting us. Goodbye!"
  zh = "感谢您的咨询，再见！"
}

response "greet" {
  en = "Hi! How can I help you today?"
  zh = "您好！请问有什么可以帮您？"
}

response "ask_phone" {
  en = "Which mobile number is this for?"
  zh = "请问是哪个手机号码？"
}

response "line_not_found" {
  en = "I can't find the number ${slot.phone}. Which mobile number is it?"
  zh = "没有找到号码 ${slot.phone}，请再提供一下手机号码。"
}

response "not_your_line" {
  en = "For your security I can only make changes to a number registered to you. Please contact us from the account holder's profile."
  zh = "为了您的账户安全，我只能办理登记在您名下的号码。请用机主本人的账户联系我们。"
}

response "ask_plan" {
  en            = "Which plan would you like?"
  zh            = "您想换成哪个套餐？"
  value_buttons = plan
}

response "same_plan" {
  en = "You're already on ${label("plan", slot.new_plan)}. Which plan would you like instead?"
  zh = "您当前已经是${label("plan", slot.new_plan)}，想换成哪个套餐？"
}

response "confirm_plan" {
  en = "To confirm: change ${slot.phone} to ${label("plan", slot.new_plan)} from next month?"
  zh = "确认一下：号码 ${slot.phone} 下月起改为${label("plan", slot.new_plan)}，是否办理？"

  button "yes" {
    en = "Yes, change it"
    zh = "确认办理"
  }
  button "no" {
    en = "No thanks"
    zh = "暂不办理"
  }
}

response "plan_changed" {
  en = "Done: ${slot.phone} moves to ${label("plan", slot.new_plan)} on ${call.change.effective}. Reference ${call.change.change_id}."
  zh = "已办理：号码 ${slot.phone} 将于 ${call.change.effective} 起改为${label("plan", slot.new_plan)}，业务编号 ${call.change.change_id}。"
}

response "ask_topup_amount" {
  en = "How much data credit would you like to add, in yuan? (10 to 500)"
  zh = "请问充值多少元的流量？（10到500元）"
}

response "topup_amount_invalid" {
  en = "Top-ups are from ¥10 to ¥500. How much would you like to add?"
  zh = "流量充值金额为10到500元，请问充多少？"
}

response "confirm_topup" {
  en = "Add ${money(slot.amount, var.currency)} of data to ${slot.phone}?"
  zh = "为 ${slot.phone} 充值 ${money(slot.amount, var.currency)} 流量，是否确认？"

  button "yes" {
    en = "Yes, top up"
    zh = "确认充值"
  }
  button "no" {
    en = "No thanks"
    zh = "暂不充值"
  }
}

response "topup_done" {
  en = "Done! ${money(call.topup.amount, var.currency)} of data was added to ${slot.phone}. Reference ${call.topup.topup_id}."
  zh = "充值成功！已为 ${slot.phone} 充值 ${money(call.topup.amount, var.currency)} 流量，业务编号 ${call.topup.topup_id}。"
}

response "ask_sim_reason" {
  en            = "Was your SIM lost or stolen, or is it damaged?"
  zh            = "您的SIM卡是丢失被盗，还是损坏了？"
  value_buttons = sim_reason
}

response "ask_id_last6" {
  en = "To check it's you, please type the last 6 characters of your ID number."
  zh = "为核实身份，请输入您身份证号码的后六位。"
}

response "id_invalid" {
  en = "That doesn't match our records. Please type the last 6 characters of your ID number."
  zh = "身份信息核对不一致，请重新输入身份证号码后六位。"
}

response "id_failed" {
  en = "I couldn't verify your identity. Please visit one of our stores with your ID card."
  zh = "身份核实未通过，请携带身份证到营业厅办理。"
}

response "sim_lost_done" {
  en = "I've suspended ${slot.phone} so nobody can use it, and ordered a new SIM (order ${call.sim.order_id}). It arrives in 2-3 days."
  zh = "已为您挂失号码 ${slot.phone}，并补办新卡（订单 ${call.sim.order_id}），预计2-3天送达。"
}

response "sim_damaged_done" {
  en = "A replacement SIM for ${slot.phone} is on its way (order ${call.sim.order_id}). Your number keeps working until you switch."
  zh = "已为号码 ${slot.phone} 补办新卡（订单 ${call.sim.order_id}），换卡前原卡照常使用。"
}

response "ask_country" {
  en            = "Which country are you travelling to?"
  zh            = "请问您要去哪个国家或地区？"
  value_buttons = country
}

response "ask_travel_dates" {
  en = "What are your travel dates? For example: Dec 20 to Dec 27."
  zh = "请问出行日期是？例如：12月20日到27日。"
}

response "travel_dates_invalid" {
  en = "Roaming can be set up for trips starting today or later, of up to 90 days. What are your travel dates?"
  zh = "漫游可为今天及以后出发、不超过90天的行程开通。请问出行日期是？"
}

response "confirm_roaming" {
  en = "Turn on roaming for ${slot.phone} in ${label("country", slot.country)} from ${slot.dates.start} to ${slot.dates.end}?"
  zh = "为 ${slot.phone} 开通${label("country", slot.country)}漫游，${slot.dates.start} 至 ${slot.dates.end}，是否确认？"

  button "yes" {
    en = "Yes, turn it on"
    zh = "确认开通"
  }
  button "no" {
    en = "No thanks"
    zh = "暂不开通"
  }
}

response "roaming_done" {
  en = "Roaming is on for ${label("country", slot.country)} from ${slot.dates.start} to ${slot.dates.end}. Have a good trip!"
  zh = "已开通${label("country", slot.country)}漫游（${slot.dates.start} 至 ${slot.dates.end}），祝您旅途愉快！"
}

response "roaming_prices" {
  en = "Roaming costs ¥25 a day in Asia and ¥35 a day elsewhere, including 1 GB of data a day."
  zh = "国际漫游资费：亚洲地区25元/天，其他地区35元/天，每天含1GB流量。"
}

response "ask_dispute_amount" {
  en = "How much was the wrong charge, in yuan?"
  zh = "请问有问题的扣费金额是多少元？"
}

response "ask_dispute_charge" {
  en = "What was the charge for, as it appears on your bill?"
  zh = "请描述一下这笔扣费在账单上的名称或内容。"
}

response "credit_done" {
  en = "I've credited ${money(slot.amount, var.currency)} to ${slot.phone} (reference ${call.credit.credit_id}). It shows on your next bill."
  zh = "已为 ${slot.phone} 退还 ${money(slot.amount, var.currency)}（编号 ${call.credit.credit_id}），将在下期账单中体现。"
}

response "dispute_review" {
  en = "I've passed your dispute of ${money(slot.amount, var.currency)} to our billing team (ticket ${ticket.id}). They'll reply within 2 working days."
  zh = "您对 ${money(slot.amount, var.currency)} 扣费的异议已提交账务团队（工单 ${ticket.id}），2个工作日内答复您。"
}

response "dispute_supervisor" {
  en = "A credit of ${money(slot.amount, var.currency)} needs a supervisor's approval. I've asked for it and will let you know here."
  zh = "${money(slot.amount, var.currency)} 的退费需要主管审批，已提交申请，结果会在这里通知您。"
}

response "dispute_approved" {
  en = "Good news: your credit of ${money(slot.amount, var.currency)} was approved (reference ${call.credit.credit_id})."
  zh = "好消息：${money(slot.amount, var.currency)} 的退费已审批通过（编号 ${call.credit.credit_id}）。"
}

response "dispute_declined" {
  en = "Sorry, a supervisor reviewed the charge of ${money(slot.amount, var.currency)} and found it correct. Reply \"agent\" to talk to someone."
  zh = "抱歉，主管核查后确认 ${money(slot.amount, var.currency)} 的扣费无误。如需人工服务请回复“人工”。"
}

response "ask_area" {
  en            = "Which area are you in?"
  zh            = "请问您在哪个区域？"
  value_buttons = area
}

response "outage_known" {
  en = "Yes, there's a network outage in ${label("area", slot.area)}. We expect service back by ${call.area.eta}. Sorry for the trouble!"
  zh = "${label("area", slot.area)}目前有网络故障，预计 ${call.area.eta} 前恢复，给您带来不便非常抱歉！"
}

response "outage_maintenance" {
  en = "There's planned maintenance in ${label("area", slot.area)} until ${call.area.eta}."
  zh = "${label("area", slot.area)}正在进行计划检修，预计 ${call.area.eta} 结束。"
}

response "outage_reported" {
  en = "We don't see a known problem in ${label("area", slot.area)}. I've reported it to our network team (ticket ${ticket.id}). Restarting your phone often helps meanwhile."
  zh = "${label("area", slot.area)}暂无已知故障，已为您报障（工单 ${ticket.id}）。您也可以先重启手机试试。"
}

response "handoff" {
  en = "Connecting you to a colleague now."
  zh = "正在为您转接人工客服，请稍候。"
}

response "handoff_angry" {
  en = "I'm sorry about this. Let me get a colleague to help you right away."
  zh = "非常抱歉给您带来不好的体验，马上为您转接人工客服。"
}

response "after_hours" {
  en = "Our team is available 08:00-22:00 on weekdays and 09:00-18:00 at weekends. I've opened ticket ${ticket.id} and we'll call you back."
  zh = "人工客服时间为工作日 8:00-22:00、周末 9:00-18:00。已为您登记工单 ${ticket.id}，我们会尽快回电。"
}

response "check_bill" {
  en = "Text CXHF to 10086 for your balance, or see your bills under My Bills in the app."
  zh = "发送短信CXHF到10086可查询话费余额，账单可在App“我的账单”中查看。"
}

response "phone_give_up" {
  en = "Sorry, I couldn't get a valid mobile number. Let me pass you to a colleague."
  zh = "抱歉，没能确认您的手机号码，为您转接人工客服。"
}

response "check_data" {
  en = "Text CXLL to 10086, or open the app and tap My Usage."
  zh = "发送短信CXLL到10086，或打开App点击“我的用量”即可查询。"
}
