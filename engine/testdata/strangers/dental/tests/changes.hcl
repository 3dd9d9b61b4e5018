test "free cancellation more than 24 hours ahead" {
  turn {
    user       = "我要取消预约 DC100001"
    intent     = intent.cancel
    calls      = [connector.clinic.get_booking]
    response   = response.confirm_cancel
    reply_glob = "*免费取消*"
  }

  turn {
    user     = "确认取消"
    calls    = [connector.clinic.cancel_booking]
    response = response.cancelled_free
    dialog   = "none"
  }
}

test "late cancellation costs the fee" {
  turn {
    user       = "cancel my appointment dc100002"
    intent     = intent.cancel
    response   = response.confirm_cancel
    reply_glob = "*less than 24 hours*"
  }

  turn {
    user     = "yes"
    calls    = [connector.clinic.cancel_booking]
    response = response.cancelled_fee
  }
}

test "cancellation just over and just under 24 hours" {
  for_each = {
    "2026-11-25T09:59:00+08:00" = "response.cancelled_free"
    "2026-11-25T10:01:00+08:00" = "response.cancelled_fee"
  }
  now = each.key

  turn {
    user = "取消DC100001"
  }

  turn {
    user     = "是的"
    response = each.value
  }
}

test "cancel asks for the reference" {
  turn {
    user     = "不去了，帮我取消吧"
    intent   = intent.cancel
    response = response.ask_booking_ref
  }

  turn {
    user     = "DC999999"
    response = response.booking_not_found
  }

  turn {
    user     = "哦 是DC100001"
    response = response.confirm_cancel
  }

  turn {
    user  = "算了不取消了"
    calls = []
  }
}

test "keep the booking" {
  turn {
    user = "cancel DC100001"
  }

  turn {
    user     = "No, keep it"
    response = response.kept
    calls    = []
  }
}

test "reschedule more than 24 hours ahead is free" {
  turn {
    user     = "DC100001能改到下周一吗"
    intent   = intent.reschedule
    slots    = { booking_ref = "DC100001", new_date = "2026-11-30" }
    response = response.ask_new_time
  }

  turn {
    user     = "上午十点"
    response = response.confirm_reschedule
  }

  turn {
    user     = "确认"
    calls    = [connector.clinic.reschedule_booking]
    response = response.rescheduled
  }
}

test "late reschedule in English" {
  turn {
    user     = "can i move my appointment? ref DC100002"
    intent   = intent.reschedule
    response = response.ask_new_date
  }

  turn {
    user       = "thursday 3pm"
    slots      = { new_date = "2026-11-26", new_time = "3PM" }
    response   = response.confirm_reschedule
    reply_glob = "*fee*"
  }

  turn {
    user     = "ok"
    response = response.rescheduled_with_fee
  }
}

test "a missed appointment can't be cancelled" {
  turn {
    user     = "取消 DC100003"
    response = response.booking_already_past
  }
}

test "the cancellation policy is a question, not a cancellation" {
  for_each = {
    "zh fee"    = "取消预约要扣钱吗"
    "zh late"   = "当天取消收不收费"
    "en fee"    = "is there a fee if i cancel?"
    "en policy" = "whats ur cancellation policy"
  }

  turn {
    user     = each.value
    intent   = intent.cancel_fee
    response = response.cancel_fee_policy
    dialog   = "none"
  }
}

test "no-show fee waiver goes to a supervisor" {
  turn {
    user     = "上周有急事没去成，爽约费能免吗？预约号DC100003"
    intent   = intent.waive_no_show
    response = response.ask_waive_reason
  }

  turn {
    user     = "家里老人突然住院了"
    approval = queue.supervisors
    response = response.waive_submitted
  }

  turn {
    decision = "approved"
    calls    = [connector.clinic.waive_fee]
    response = response.waive_approved
  }
}

test "no-show waiver for a booking that was not missed" {
  turn {
    user     = "i missed my appointment DC100001, can you waive the fee"
    response = response.not_a_no_show
  }
}

test "a missed booking is not rescheduled" {
  turn {
    user     = "reschedule DC100003"
    calls    = [connector.clinic.get_booking]
    response = response.booking_already_past
    dialog   = "none"
  }
}

test "cancel with a space before the booking number" {
  for_each = {
    "zh space" = "取消 DC100001"
    "zh"       = "取消DC100001"
    "en"       = "cancel DC100001"
  }

  turn {
    user     = each.value
    intent   = intent.cancel
    response = response.confirm_cancel
  }
}

test "checking a booking" {
  for_each = {
    "我的预约是几点来着 DC100001"           = "*2026年11月26日 10:00*"
    "when's my appt? ref DC100001" = "*Thursday 26 November at 10:00*"
  }

  turn {
    user       = each.key
    intent     = intent.check_booking
    reply_glob = each.value
  }
}

test "yes to the cancellation, as customers type it" {
  for_each = {
    "取消掉"  = "取消掉"
    "取消吧"  = "取消吧"
    "嗯，取消" = "嗯，取消"
    "对的"   = "对的"
    "yes"  = "yes please"
  }

  turn {
    user = "取消DC100001"
  }

  turn {
    user     = each.value
    response = response.cancelled_free
  }
}
