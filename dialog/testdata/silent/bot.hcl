# A travel agency's refunds, where the booking system sometimes leaves a field
# out: what the bot says when a message or a condition reads that null.
bot "travel" {
  languages = ["zh", "en"]

  replies {
    error = response.error
  }
}

response "error" {
  zh = "系统出了点问题，请稍后再试。"
  en = "Something went wrong on our side."
}

connector "bookings" {
  type = "fixture"
  data = {
    bookings = {
      BK000001 = { status = "confirmed" } # refundable left out
      BK000002 = { status = "confirmed", refundable = 800 }
      BK000003 = { status = "waitlisted", refundable = 300 }
    }
  }

  operation "get_booking" {
    input  = { booking_id = string }
    output = { status = string, refundable = number }
    lookup = "bookings"
  }
}

entity "booking_id" {
  pattern = "BK[0-9]{6}"
}

# The booking number and its lookup, used by the dialogs below with
# slot "booking_id" {} and call "booking" {}.
slot "booking_id" {
  type   = booking_id
  prompt = "请提供预订号。"
}

call "booking" {
  operation = connector.bookings.get_booking
  input     = { booking_id = slot.booking_id }
}

intent "refund" {
  examples = ["我要退订", "取消预订退款", "退订单", "我想退款", "申请退款"]
}

intent "withdraw" {
  examples = ["撤销预订", "不去了帮我撤单", "撤单", "撤销订单", "我要撤销"]
}

intent "rebook" {
  examples = ["改签", "我要改日期", "换个日期", "改一下出行日期", "改期"]
}

# The stranger's dialog: the confirmation and every outcome read the refundable
# amount, and the outcomes split it into ranges with no catch-all.
dialog "refund" {
  trigger = [intent.refund]

  slot "booking_id" {}
  call "booking" {}

  confirm {
    prompt = "可退金额 ${money(call.booking.refundable, "CNY")}，确认退订吗？"
  }

  outcome "small" {
    when  = call.booking.refundable < 1000
    reply = "已退款。"
  }

  outcome "mid" {
    when  = call.booking.refundable >= 1000 && call.booking.refundable <= 5000
    reply = "已提交审核。"
  }

  outcome "big" {
    when  = call.booking.refundable > 5000
    reply = "需要主管审批。"
  }
}

# The same outcomes after a confirmation that reads no amount.
dialog "withdraw" {
  trigger = [intent.withdraw]

  slot "booking_id" {}
  call "booking" {}

  confirm {
    prompt = "确认退订吗？"
  }

  outcome "small" {
    when  = call.booking.refundable < 1000
    reply = "已退款。"
  }

  outcome "rest" {
    when  = call.booking.refundable >= 1000
    reply = "已提交审核。"
  }
}

# No confirmation; outcomes on a status, with no catch-all; the question for
# the new date reads the amount.
dialog "rebook" {
  trigger = [intent.rebook]

  slot "booking_id" {}
  call "booking" {}

  slot "date" {
    type   = date
    prompt = "改签费用按 ${money(call.booking.refundable, "CNY")} 计算。请问改到哪天？"
  }

  outcome "confirmed" {
    when  = call.booking.status == "confirmed"
    reply = "已改到 ${slot.date}。"
  }
}

intent "feedback" {
  examples = ["我要评价", "给个评价", "打个分", "评价一下服务", "我想打分"]
}

# Yes-or-no questions that read a value the customer may not have given: the
# optional comment is null unless they mention it.
dialog "feedback" {
  trigger          = [intent.feedback]
  interrupt        = "ask"
  interrupt_prompt = "您的评价「${upper(slot.comment)}」还没提交，要先处理别的吗？"
  resume           = "ask"
  resume_prompt    = "继续评价「${upper(slot.comment)}」吗？"

  slot "comment" {
    type     = text
    optional = true
  }

  slot "score" {
    type   = number
    prompt = "请打分（1-5）。"
  }

  slot "phone" {
    type         = phone
    default      = "13800000000"
    prompt       = "请留个电话。"
    reuse_prompt = "用 ${upper(slot.comment)} 的电话 13800000000 联系您吗？"
  }

  outcome "thanks" {
    reply = "谢谢！"
  }
}

intent "upgrade" {
  examples = ["升舱", "我要升舱", "升级座位", "换个好座位", "升级舱位"]
}

# Handlers that only remember: without a word of their own, the customer
# hears what they would without them.
dialog "upgrade" {
  trigger = [intent.upgrade]

  slot "booking_id" {
    retries = 0

    on_exhausted {
      remember = { upgrade_gave_up = true }
    }
  }

  call "booking" {
    on_error {
      remember = { upgrade_missing = slot.booking_id }
    }
  }

  confirm {
    prompt = "确认升舱吗？"

    on_no {
      remember = { upgrade_declined = true }
    }
  }

  outcome "done" {
    reply = "已升舱。"
  }
}

intent "seat" {
  examples = ["选座", "我要选座位", "换座位", "选个靠窗的座", "座位选择"]
}

# The confirmation is asked only for large amounts; with the amount left out,
# whether it is large is not known.
dialog "seat" {
  trigger = [intent.seat]

  slot "booking_id" {}
  call "booking" {}

  confirm {
    when   = call.booking.refundable > 500
    prompt = "选座要收费，确认吗？"
  }

  outcome "done" {
    reply = "已选座。"
  }
}

intent "meal" {
  examples = ["加餐", "我要订餐", "预订飞机餐", "加一份餐食", "订个特殊餐"]
}

# A waitlisted booking gets no meal: the dialog ends on its rule before
# the booking is read again for the price, so the confirmation, which shows
# that price, has nothing to show and is not asked.
dialog "meal" {
  trigger = [intent.meal]

  slot "booking_id" {}

  slot "reference" {
    type          = booking_id
    prompt        = "请再提供一次预订号。"
    required_when = slot.booking_id != "BK000003"
  }

  call "price" {
    operation = connector.bookings.get_booking
    input     = { booking_id = slot.reference }
  }

  confirm {
    when   = call.price.refundable > 500
    prompt = "加餐要付 ${call.price.refundable}，确认吗？"
  }

  outcome "waitlisted" {
    when  = slot.booking_id == "BK000003"
    reply = "候补中的预订不能加餐。"
  }

  outcome "done" {
    reply = "已加餐。"
  }
}
