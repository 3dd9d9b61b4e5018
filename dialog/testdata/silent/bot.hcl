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
      BK000003 = { status = "waitlisted", refundable = 800 }
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

  slot "booking_id" {
    type   = booking_id
    prompt = "请提供预订号。"
  }

  call "booking" {
    operation = connector.bookings.get_booking
    input     = { booking_id = slot.booking_id }
  }

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

  slot "booking_id" {
    type   = booking_id
    prompt = "请提供预订号。"
  }

  call "booking" {
    operation = connector.bookings.get_booking
    input     = { booking_id = slot.booking_id }
  }

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

  slot "booking_id" {
    type   = booking_id
    prompt = "请提供预订号。"
  }

  call "booking" {
    operation = connector.bookings.get_booking
    input     = { booking_id = slot.booking_id }
  }

  slot "date" {
    type   = date
    prompt = "改签费用按 ${money(call.booking.refundable, "CNY")} 计算。请问改到哪天？"
  }

  outcome "confirmed" {
    when  = call.booking.status == "confirmed"
    reply = "已改到 ${slot.date}。"
  }
}
