response "not_understood" {
  en = "Sorry, I didn't get that. I can help with power cuts, meter readings, bills, payment plans, moving home and tariffs."
  zh = "抱歉，没太明白。我可以帮您处理停电报修、抄表读数、账单异议、分期付款、搬家和更换套餐。"

  button "human" {
    en = "Talk to a person"
    zh = "转人工"
  }
}

response "error" {
  en = "Sorry, something went wrong on our side. Please try again in a moment."
  zh = "抱歉，系统出了点问题，请稍后再试。"
}

response "goodbye" {
  en = "Thanks for contacting Brightwatt. Goodbye!"
  zh = "感谢联系光瓦能源，再见！"
}

response "greet" {
  en = "Hi! I'm the Brightwatt assistant. How can I help?"
  zh = "您好！我是光瓦能源智能客服，请问有什么可以帮您？"
}

response "thanks" {
  en = "You're welcome! Anything else?"
  zh = "不客气！还有其他需要帮忙的吗？"
}

response "ask_account" {
  en = "What's your account number? It looks like AC12345678."
  zh = "请提供您的户号，格式如 AC12345678。"
}

response "invalid_account" {
  en = "That doesn't look like an account number. It starts with AC and has 8 digits, like AC12345678."
  zh = "户号格式不对，应为 AC 加 8 位数字，例如 AC12345678。"
}

response "account_not_found" {
  en = "I couldn't find account ${slot.account_number}. Could you check the number?"
  zh = "没有找到户号 ${slot.account_number}，请核对后重新输入。"
}

response "ask_fuel" {
  en            = "Is it electricity or gas?"
  zh            = "是电还是燃气？"
  value_buttons = fuel
}

response "ask_outage_address" {
  en = "What's the address of the property?"
  zh = "请问停电/停气的地址是？"
}

response "ask_scope" {
  en            = "Is it just your home, or are your neighbours affected too?"
  zh            = "只有您家，还是邻居家也受影响？"
  value_buttons = outage_scope
}

response "outage_logged" {
  en = "Thanks. I've reported the ${label("fuel", slot.fuel)} outage at ${slot.address} (ticket ${ticket.id}). An engineer will be in touch."
  zh = "已为您报修${label("fuel", slot.fuel)}故障，地址：${slot.address}（工单 ${ticket.id}）。工程师会尽快联系您。"
}

response "gas_emergency" {
  en = "If you smell gas: open windows, don't use switches or flames, leave the building and call the gas emergency line 95158 now. I'm connecting you to our emergency team."
  zh = "如闻到燃气味：请立即开窗通风，不要开关电器或使用明火，撤离到室外并拨打燃气抢修电话 95158。正在为您转接应急团队。"
}

response "ask_reading" {
  en = "What does the meter read? Just the numbers, please."
  zh = "电表/气表上的读数是多少？请只输入数字。"
}

response "invalid_reading" {
  en = "A meter reading is a number from 0 to 999999. What does the meter read?"
  zh = "读数应为 0 到 999999 之间的数字。表上的读数是多少？"
}

response "ask_reading_date" {
  en = "On what date did you read the meter? For example: today, or 20 Nov."
  zh = "哪天抄的表？例如：今天、11月20日。"
}

response "invalid_reading_date" {
  en = "The reading date can't be in the future or more than 30 days ago. On what date did you read the meter?"
  zh = "抄表日期不能晚于今天，也不能早于30天前。请问哪天抄的表？"
}

response "confirm_reading" {
  en = "To confirm: ${label("fuel", slot.fuel)} reading ${slot.reading} on ${slot.read_on} for account ${slot.account_number}. Submit it?"
  zh = "确认一下：户号 ${slot.account_number}，${label("fuel", slot.fuel)}表读数 ${slot.reading}，抄表日期 ${slot.read_on}。是否提交？"

  button "yes" {
    en = "Submit"
    zh = "提交"
  }
  button "no" {
    en = "Not now"
    zh = "暂不提交"
  }
}

response "reading_submitted" {
  en = "Done, your reading is in (reference ${call.submit.reference}). Your next bill will use it."
  zh = "读数已提交（编号 ${call.submit.reference}），下期账单将按此计算。"
}

response "ask_bill_month" {
  en = "Which month's bill is it? For example: October."
  zh = "是哪个月的账单？例如：10月。"
}

response "ask_disputed_amount" {
  en = "How much do you think you were overcharged, in yuan?"
  zh = "您认为多收了多少钱（人民币）？"
}

response "invalid_disputed_amount" {
  en = "Please give an amount above zero, for example ¥120. How much were you overcharged?"
  zh = "请输入大于零的金额，例如 120元。多收了多少钱？"
}

response "ask_dispute_reason" {
  en = "Briefly, what looks wrong on the bill?"
  zh = "请简单说明账单哪里有问题？"
}

response "dispute_logged" {
  en = "I've opened a billing dispute for ${money(slot.amount, var.currency)} on your ${format_date(slot.bill_month.start, "January 2006")} bill (ticket ${ticket.id}). Our billing team will reply within 5 working days."
  zh = "已为您提交账单异议：${format_date(slot.bill_month.start, "2006年1月")}账单，争议金额 ${money(slot.amount, var.currency)}（工单 ${ticket.id}）。账单团队将在5个工作日内回复。"
}

response "ask_plan_amount" {
  en = "How much would you like to spread, in yuan?"
  zh = "您需要分期的金额是多少（人民币）？"
}

response "invalid_plan_amount" {
  en = "Please give an amount between ¥50 and ¥20,000. How much would you like to spread?"
  zh = "分期金额需在50元到20000元之间。您需要分期多少钱？"
}

response "ask_plan_months" {
  en = "Over how many months? Between 2 and 12."
  zh = "分几个月还？2到12个月。"
}

response "invalid_plan_months" {
  en = "Plans run from 2 to 12 months. Over how many months?"
  zh = "分期期数为2到12个月。您想分几个月？"
}

response "confirm_plan" {
  en = "To confirm: ${money(slot.amount, var.currency)} over ${slot.months} months for account ${slot.account_number}. Shall I set it up?"
  zh = "确认一下：户号 ${slot.account_number}，${money(slot.amount, var.currency)} 分 ${slot.months} 个月支付。是否办理？"

  button "yes" {
    en = "Yes, set it up"
    zh = "确认办理"
  }
  button "no" {
    en = "No"
    zh = "暂不办理"
  }
}

response "plan_approved" {
  en = "Your payment plan ${call.plan.plan_id} is set up: ${money(slot.amount, var.currency)} over ${slot.months} months."
  zh = "分期计划 ${call.plan.plan_id} 已生效：${money(slot.amount, var.currency)} 分 ${slot.months} 个月支付。"
}

response "plan_waits_review" {
  en = "Thanks. A plan for ${money(slot.amount, var.currency)} needs a quick review by our team. We'll message you here once it's decided."
  zh = "收到。${money(slot.amount, var.currency)} 的分期需要人工审核，审核结果会在这里通知您。"
}

response "plan_waits_supervisor" {
  en = "Thanks. A plan for ${money(slot.amount, var.currency)} needs a supervisor's approval. We'll message you here once it's decided."
  zh = "收到。${money(slot.amount, var.currency)} 的分期需要主管审批，审批结果会在这里通知您。"
}

response "plan_approved_later" {
  en = "Good news: your payment plan ${call.plan.plan_id} was approved."
  zh = "好消息：您的分期计划 ${call.plan.plan_id} 已审批通过。"
}

response "plan_declined" {
  en = "Sorry, we couldn't approve that payment plan. A colleague will call you to find another way."
  zh = "抱歉，该分期申请未获批准，我们的同事会致电与您商量其他方案。"
}

response "ask_move_out" {
  en = "What date are you moving out? For example: next Friday, or 15 Dec."
  zh = "哪天搬出？例如：下周五、12月15日。"
}

response "invalid_move_out" {
  en = "The move-out date must be today or within the next 90 days. What date are you moving out?"
  zh = "搬出日期需在今天起90天内。请问哪天搬出？"
}

response "ask_new_address" {
  en = "What's your new address?"
  zh = "新地址是哪里？"
}

response "invalid_new_address" {
  en = "That address looks too short. Please give the full new address."
  zh = "地址太短了，请提供完整的新地址。"
}

response "confirm_move" {
  en = "To confirm: moving out on ${format_date(slot.move_out, "Monday 2 January")}, new address ${slot.new_address}. Is that right?"
  zh = "确认一下：${format_date(slot.move_out, "1月2日")}搬出，新地址 ${slot.new_address}。信息正确吗？"

  button "yes" {
    en = "Yes"
    zh = "正确"
  }
  button "no" {
    en = "Change the address"
    zh = "修改地址"
  }
}

response "move_registered" {
  en = "All set (reference ${call.move.reference}). We'll take a final reading on ${format_date(slot.move_out, "2 January")} and send the final bill to your new address."
  zh = "已办理（编号 ${call.move.reference}）。我们将在${format_date(slot.move_out, "1月2日")}抄最终读数，并把结算账单寄到新地址。"
}

response "ask_tariff" {
  en            = "Which tariff would you like?"
  zh            = "您想换成哪个套餐？"
  value_buttons = tariff
}

response "already_on_tariff" {
  en = "You're already on ${label("tariff", slot.tariff)}. Which tariff would you like instead?"
  zh = "您当前已是${label("tariff", slot.tariff)}套餐。想换成哪个？"
}

response "confirm_tariff" {
  en = "Switch account ${slot.account_number} to ${label("tariff", slot.tariff)}?"
  zh = "将户号 ${slot.account_number} 切换到${label("tariff", slot.tariff)}套餐，是否确认？"

  button "yes" {
    en = "Yes, switch"
    zh = "确认切换"
  }
  button "no" {
    en = "No, keep my tariff"
    zh = "不换了"
  }
}

response "tariff_changed" {
  en = "Done: you're moving to ${label("tariff", slot.tariff)} from your next billing period (reference ${call.switch.reference})."
  zh = "已办理：下个计费周期起切换为${label("tariff", slot.tariff)}（编号 ${call.switch.reference}）。"
}

response "handoff_general" {
  en = "Connecting you to a colleague now."
  zh = "正在为您转接人工客服，请稍候。"
}

response "after_hours" {
  en = "Our team is available 08:00-20:00 Monday to Friday and 09:00-17:00 on Saturday. I've left them a note to get back to you (ticket ${ticket.id})."
  zh = "人工客服时间为周一至周五 8:00-20:00、周六 9:00-17:00。已为您留言，我们会尽快联系您（工单 ${ticket.id}）。"
}

response "pay_methods" {
  en = "You can pay by direct debit, bank transfer, Alipay or WeChat Pay. Direct debit can be set up in the app under Billing."
  zh = "支持银行代扣、银行转账、支付宝和微信支付。自动扣款可在App的「账单」页面设置。"
}

response "read_meter_help" {
  en = "Read the numbers from left to right, ignoring any in red or after a decimal point. Smart meters send readings on their own. Want to submit a reading now? Just say \"meter reading\"."
  zh = "从左到右读取数字，红色数字和小数点后的数字不用读。智能电表会自动上传读数。需要现在提交读数，请说“报读数”。"
}

response "bill_dates" {
  en = "Bills are issued on the 5th of each month and are due 14 days later."
  zh = "账单每月5号出，出账后14天内缴清即可。"
}
