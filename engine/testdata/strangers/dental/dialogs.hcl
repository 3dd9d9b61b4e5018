dialog "book" {
  title   = { zh = "预约", en = "your booking" }
  trigger = [intent.book]

  slot "treatment" {
    type   = treatment
    prompt = response.ask_treatment
  }

  slot "branch" {
    type   = branch
    prompt = response.ask_branch
  }

  slot "date" {
    type     = date
    prompt   = response.ask_date
    validate = days_between(now, slot.date) >= 1 && days_between(now, slot.date) <= 60
    invalid  = response.invalid_date
  }

  slot "time" {
    type     = time
    prompt   = response.ask_time
    validate = local.time_open
    invalid  = response.invalid_time
  }

  slot "dentist" {
    type   = dentist
    prompt = response.ask_dentist
  }

  slot "phone" {
    type   = phone
    prompt = response.ask_phone
  }

  confirm {
    prompt = response.confirm_booking
  }

  outcome "booked" {
    call "create" {
      operation = connector.clinic.create_booking
      input = {
        treatment = slot.treatment
        branch    = slot.branch
        date      = slot.date
        time      = slot.time
        dentist   = slot.dentist
        phone     = slot.phone
      }
    }
    reply = response.booked
  }
}

slot "booking_ref" {
  type    = booking_ref
  prompt  = response.ask_booking_ref
  retries = 2

  on_exhausted {
    reply   = response.handoff_general
    handoff = queue.front_desk
  }
}

call "booking" {
  operation = connector.clinic.get_booking
  input     = { booking_ref = slot.booking_ref }

  on_not_found {
    reply = response.booking_not_found
    reask = slot.booking_ref
  }
}

dialog "reschedule" {
  title   = { zh = "改约", en = "rescheduling" }
  trigger = [intent.reschedule]

  slot "booking_ref" {}
  call "booking" {}

  slot "new_date" {
    type          = date
    required_when = local.hours_left > 0
    prompt        = response.ask_new_date
    validate      = days_between(now, slot.new_date) >= 1 && days_between(now, slot.new_date) <= 60
    invalid       = response.invalid_date
  }

  slot "new_time" {
    type          = time
    required_when = local.hours_left > 0
    prompt        = response.ask_new_time
    validate      = local.new_time_open
    invalid       = response.invalid_time
  }

  confirm {
    when   = local.hours_left > 0
    prompt = response.confirm_reschedule
    on_no {
      reply = response.kept
    }
  }

  outcome "past" {
    when     = local.hours_left <= 0
    resolves = false
    reply    = response.booking_already_past
  }

  outcome "late" {
    when   = local.hours_left > 0 && local.hours_left < 24
    amount = var.late_cancel_fee
    call "move" {
      operation = connector.clinic.reschedule_booking
      input     = { booking_ref = slot.booking_ref, date = slot.new_date, time = slot.new_time, fee = var.late_cancel_fee }
    }
    reply = response.rescheduled_with_fee
  }

  outcome "free" {
    when = local.hours_left >= 24
    call "move" {
      operation = connector.clinic.reschedule_booking
      input     = { booking_ref = slot.booking_ref, date = slot.new_date, time = slot.new_time, fee = 0 }
    }
    reply = response.rescheduled
  }
}

dialog "cancel" {
  title   = { zh = "取消预约", en = "cancelling your booking" }
  trigger = [intent.cancel]

  slot "booking_ref" {}
  call "booking" {}

  confirm {
    when   = local.hours_left > 0
    prompt = response.confirm_cancel
    on_no {
      reply = response.kept
    }
  }

  outcome "past" {
    when     = local.hours_left <= 0
    resolves = false
    reply    = response.booking_already_past
  }
}

rule "cancel_late" {
  description = "Within 24 hours of the appointment, cancelling costs the late fee"
  on          = dialog.cancel
  when        = local.hours_left > 0 && local.hours_left < 24
  amount      = var.late_cancel_fee

  call "cancel" {
    operation = connector.clinic.cancel_booking
    input     = { booking_ref = slot.booking_ref, fee = var.late_cancel_fee }
  }
  reply = response.cancelled_fee
}

rule "cancel_free" {
  description = "More than 24 hours ahead, cancelling is free"
  on          = dialog.cancel
  when        = local.hours_left >= 24

  call "cancel" {
    operation = connector.clinic.cancel_booking
    input     = { booking_ref = slot.booking_ref, fee = 0 }
  }
  reply = response.cancelled_free
}

dialog "waive_no_show" {
  title   = { zh = "申请免除爽约费", en = "waiving the no-show fee" }
  trigger = [intent.waive_no_show]

  slot "booking_ref" {}
  call "booking" {}

  slot "reason" {
    type          = text
    prompt        = response.ask_waive_reason
    required_when = call.booking.status == "no_show"
  }

  outcome "not_no_show" {
    when     = call.booking.status != "no_show"
    resolves = false
    reply    = response.not_a_no_show
  }

  outcome "ask_supervisor" {
    call "waive" {
      operation       = connector.clinic.waive_fee
      input           = { booking_ref = slot.booking_ref, reason = slot.reason }
      idempotency_key = "waive-${slot.booking_ref}"

      approval {
        queue      = queue.supervisors
        role       = "supervisor"
        reason     = "免除爽约费：预约 ${slot.booking_ref}，原因：${slot.reason}"
        expires_in = "48h"

        on_approve {
          reply = response.waive_approved
        }
        on_reject {
          reply = response.waive_rejected
        }
      }
    }
    reply = response.waive_submitted
  }
}

dialog "leave_message" {
  title = { zh = "留言", en = "your message" }

  slot "phone" {
    type   = phone
    prompt = response.ask_phone
  }

  slot "note" {
    type        = text
    prompt      = response.ask_message
    digressions = false
  }

  outcome "taken" {
    ticket {
      queue       = queue.front_desk
      subject     = "下班留言：回电 ${mask(slot.phone)}"
      description = slot.note
    }
    reply = response.message_taken
  }
}

dialog "check_booking" {
  title   = { zh = "查询预约", en = "checking your booking" }
  trigger = [intent.check_booking]

  slot "booking_ref" {}
  call "booking" {}

  outcome "found" {
    reply = response.booking_details
  }
}
