response "not_understood" {
  zh = "抱歉，我没太明白。我可以帮您预约、改约、取消预约，或者解答价格和保险问题。"
  en = "Sorry, I didn't catch that. I can book, reschedule or cancel appointments, and answer price and insurance questions."

  button "book" {
    zh = "预约"
    en = "Book"
  }
  button "human" {
    zh = "转人工"
    en = "Talk to a person"
  }
}

response "greet" {
  zh = "您好，这里是微笑牙科！请问需要预约、改约还是咨询？"
  en = "Hi, this is Smile Dental! Would you like to book, reschedule, or ask a question?"
}

response "thanks" {
  zh = "不客气，祝您牙齿健康！"
  en = "You're welcome. Keep smiling!"
}

response "goodbye" {
  zh = "再见，祝您生活愉快！"
  en = "Goodbye, have a nice day!"
}

response "ask_treatment" {
  zh            = "请问您想做什么项目？比如洗牙、检查、补牙、拔牙。"
  en            = "What would you like to come in for? For example a cleaning, check-up, filling or extraction."
  value_buttons = treatment
}

response "ask_branch" {
  zh            = "请问去哪家分店？我们有静安店、徐汇店和浦东店。"
  en            = "Which branch? We have Jing'an, Xuhui and Pudong."
  value_buttons = branch
}

response "ask_date" {
  zh = "请问哪天方便？例如：明天、下周六、12月5日。"
  en = "Which day suits you? For example: tomorrow, next Saturday, 5 Dec."
}

response "invalid_date" {
  zh = "只能预约明天起60天内的日期，请问哪天方便？"
  en = "We can book from tomorrow up to 60 days ahead. Which day suits you?"
}

response "ask_time" {
  zh = "几点方便？例如：上午10点、下午3点半、15:30。"
  en = "What time? For example 10am, 3:30pm or 15:30."
}

response "invalid_time" {
  zh = "营业时间是上午9点到晚上8点，请问几点方便？"
  en = "We're open 9am to 8pm. What time suits you?"
}

response "ask_dentist" {
  zh            = "想约哪位医生？王医生、李医生、陈医生，或者都可以。"
  en            = "Which dentist would you like? Dr Wang, Dr Li, Dr Chen, or anyone."
  value_buttons = dentist
}

response "ask_phone" {
  zh = "请留一个联系电话，方便诊所提醒您。"
  en = "What's a phone number the clinic can reach you on?"
}

response "confirm_booking" {
  zh = "确认一下：${slot.date} ${slot.time}，${label("branch", slot.branch)}，${label("dentist", slot.dentist)}，${label("treatment", slot.treatment)}。是否确认预约？"
  en = "To confirm: ${label("treatment", slot.treatment)} with ${label("dentist", slot.dentist)} at the ${label("branch", slot.branch)}, ${slot.date} at ${slot.time}. Shall I book it?"

  button "yes" {
    zh = "确认预约"
    en = "Yes, book it"
  }
  button "no" {
    zh = "先不约了"
    en = "No thanks"
  }
}

response "booked" {
  zh = "预约成功！预约号 ${call.create.booking_ref}。如需取消请提前24小时告知，24小时内取消收取${money(var.late_cancel_fee, var.currency)}。"
  en = "You're booked! Your reference is ${call.create.booking_ref}. Cancelling is free up to 24 hours before; later it costs ${money(var.late_cancel_fee, var.currency)}."
}

response "ask_booking_ref" {
  zh = "请提供您的预约号（DC开头加6位数字，例如DC123456）。"
  en = "What's your booking reference? It looks like DC123456."
}

response "booking_not_found" {
  zh = "没有找到预约 ${slot.booking_ref}，请核对一下预约号。"
  en = "I couldn't find booking ${slot.booking_ref}. Could you check the reference?"
}

response "ask_new_date" {
  zh = "想改到哪天？例如：后天、下周一、12月8日。"
  en = "Which day would you like instead? For example: Monday, next Friday, 8 Dec."
}

response "ask_new_time" {
  zh = "改到几点？例如：上午10点、下午两点。"
  en = "What time? For example 10am or 2pm."
}

response "confirm_reschedule" {
  zh = "确认把预约 ${slot.booking_ref} 改到 ${slot.new_date} ${slot.new_time}？%{ if local.hours_left < 24 }距离原预约不足24小时，需收取改约费${money(var.late_cancel_fee, var.currency)}。%{ endif }"
  en = "Move booking ${slot.booking_ref} to ${slot.new_date} at ${slot.new_time}?%{ if local.hours_left < 24 } It's less than 24 hours away, so there is a ${money(var.late_cancel_fee, var.currency)} fee.%{ endif }"

  button "yes" {
    zh = "确认改约"
    en = "Yes, move it"
  }
  button "no" {
    zh = "不改了"
    en = "No, keep it"
  }
}

response "rescheduled" {
  zh = "已改约到 ${slot.new_date} ${slot.new_time}，预约号不变：${slot.booking_ref}。"
  en = "Done: ${slot.booking_ref} is now on ${slot.new_date} at ${slot.new_time}."
}

response "rescheduled_with_fee" {
  zh = "已改约到 ${slot.new_date} ${slot.new_time}。因距原预约不足24小时，已收取改约费${money(var.late_cancel_fee, var.currency)}。"
  en = "Done: moved to ${slot.new_date} at ${slot.new_time}. As it was less than 24 hours away, a ${money(var.late_cancel_fee, var.currency)} fee was charged."
}

response "confirm_cancel" {
  zh = "确认取消预约 ${slot.booking_ref}（${label("treatment", call.booking.treatment)}）吗？%{ if local.hours_left < 24 }距离就诊不足24小时，取消将收取${money(var.late_cancel_fee, var.currency)}。%{ else }距离就诊超过24小时，可免费取消。%{ endif }"
  en = "Cancel booking ${slot.booking_ref} (${label("treatment", call.booking.treatment)})?%{ if local.hours_left < 24 } It's less than 24 hours away, so cancelling costs ${money(var.late_cancel_fee, var.currency)}.%{ else } It's more than 24 hours away, so it's free.%{ endif }"

  button "yes" {
    zh = "确认取消"
    en = "Yes, cancel it"
  }
  button "no" {
    zh = "保留预约"
    en = "No, keep it"
  }
}

response "cancelled_free" {
  zh = "预约 ${slot.booking_ref} 已取消，不收取任何费用。"
  en = "Booking ${slot.booking_ref} is cancelled, free of charge."
}

response "cancelled_fee" {
  zh = "预约 ${slot.booking_ref} 已取消。因距离就诊不足24小时，收取取消费${money(var.late_cancel_fee, var.currency)}。"
  en = "Booking ${slot.booking_ref} is cancelled. As it was less than 24 hours away, a ${money(var.late_cancel_fee, var.currency)} fee applies."
}

response "booking_already_past" {
  zh = "预约 ${slot.booking_ref} 的时间已经过了，无法取消或改约。如果错过了预约，可以申请免除爽约费。"
  en = "Booking ${slot.booking_ref} has already passed, so it can't be cancelled or moved. If you missed it, you can ask us to waive the no-show fee."

  button "waive_no_show" {
    zh = "申请免除爽约费"
    en = "Waive the no-show fee"
  }
}

response "kept" {
  zh = "好的，预约保持不变。"
  en = "OK, your booking stays as it is."
}

response "cancel_fee_policy" {
  zh = "就诊前24小时以上取消或改约免费；24小时内取消或改约收取${money(var.late_cancel_fee, var.currency)}；爽约（未到诊且未取消）会收取爽约费，需主管审核才能免除。"
  en = "Cancelling or rescheduling more than 24 hours ahead is free; within 24 hours it costs ${money(var.late_cancel_fee, var.currency)}. A no-show is charged, and only a supervisor can waive that."
}

response "ask_waive_reason" {
  zh = "请简单说明没能到诊的原因，主管会据此审核。"
  en = "Please tell us briefly why you couldn't come; a supervisor will review it."
}

response "waive_submitted" {
  zh = "已提交免除爽约费的申请，主管审核后会通知您。"
  en = "Your request to waive the no-show fee has been sent to a supervisor. We'll let you know."
}

response "waive_approved" {
  zh = "好消息：预约 ${slot.booking_ref} 的爽约费已免除。"
  en = "Good news: the no-show fee for ${slot.booking_ref} has been waived."
}

response "waive_rejected" {
  zh = "抱歉，主管未批准免除预约 ${slot.booking_ref} 的爽约费。"
  en = "Sorry, a supervisor did not approve waiving the fee for ${slot.booking_ref}."
}

response "not_a_no_show" {
  zh = "预约 ${slot.booking_ref} 没有爽约记录，不需要免除费用。"
  en = "Booking ${slot.booking_ref} isn't marked as a no-show, so there's no fee to waive."
}

response "price" {
  zh = "参考价格：洗牙¥298，口腔检查¥150，补牙¥400起，拔牙¥300起（智齿¥800起），根管治疗¥2,000起，美白¥1,800，种植牙¥8,000起/颗，矫正¥15,000起。具体以医生检查为准。"
  en = "Guide prices: cleaning ¥298, check-up ¥150, filling from ¥400, extraction from ¥300 (wisdom tooth from ¥800), root canal from ¥2,000, whitening ¥1,800, implant from ¥8,000 per tooth, braces from ¥15,000. The dentist confirms after an exam."
}

response "insurance" {
  zh = "我们暂不支持医保卡。可直付的商业保险：平安、Cigna、Bupa、MSH；其他保险可开具发票和病历自行报销。"
  en = "We don't take the public medical insurance card. We bill Ping An, Cigna, Bupa and MSH directly; for others we give you an invoice and records to claim."
}

response "emergency_handoff" {
  zh = "听起来很难受，我马上为您转接值班医护人员，请稍候。如出现呼吸困难或面部急剧肿胀，请立即拨打120。"
  en = "That sounds painful. I'm connecting you to our on-call team right now. If you have trouble breathing or swelling spreads fast, call 120 at once."
}

response "emergency_after_hours" {
  zh = "现在诊所已下班。牙科急诊请拨打24小时热线 ${var.emergency_hotline}；如出现呼吸困难或面部急剧肿胀，请立即拨打120或前往最近的医院急诊。"
  en = "The clinic is closed now. For a dental emergency call our 24-hour line ${var.emergency_hotline}; if you have trouble breathing or fast swelling, call 120 or go to the nearest A&E."
}

response "handoff_general" {
  zh = "好的，正在为您转接客服，请稍候。"
  en = "Sure, connecting you to a colleague now."
}

response "after_hours" {
  zh = "现在是下班时间（工作日9:00-20:00，周六9:00-17:00，周日10:00-16:00）。您可以留言，我们上班后第一时间回复。"
  en = "We're closed right now (weekdays 9:00-20:00, Sat 9:00-17:00, Sun 10:00-16:00). Leave a message and we'll get back to you when we open."
}

response "ask_message" {
  zh = "请留下您的问题或需求："
  en = "What would you like to tell us?"
}

response "message_taken" {
  zh = "已收到您的留言（工单 ${ticket.id}），我们上班后会电话联系您。"
  en = "Got it (ticket ${ticket.id}). We'll call you back when we open."
}

response "knowledge_answer" {
  zh = "${knowledge.answer}"
  en = "${knowledge.answer}"
}

response "booking_details" {
  zh = "预约 ${slot.booking_ref}：${format_date(call.booking.starts_at, "2006年1月2日 15:04")}，${label("branch", call.booking.branch)}，${label("treatment", call.booking.treatment)}。"
  en = "Booking ${slot.booking_ref}: ${format_date(call.booking.starts_at, "Monday 2 January at 15:04")}, ${label("branch", call.booking.branch)}, ${label("treatment", call.booking.treatment)}."
}
