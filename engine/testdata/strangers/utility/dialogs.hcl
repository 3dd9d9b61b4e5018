slot "account_number" {
  type     = account_number
  prompt   = response.ask_account
  invalid  = response.invalid_account
  remember = true

  on_exhausted {
    reply   = response.handoff_general
    handoff = queue.general
  }
}

call "account" {
  operation = connector.billing.get_account
  input     = { account_number = slot.account_number }

  on_not_found {
    reply = response.account_not_found
    reask = slot.account_number
  }
}

dialog "report_outage" {
  trigger = [intent.report_outage]
  title   = { en = "your outage report", zh = "停电报修" }

  # 停电 and 停气 say which supply is out, but as fuel synonyms they would
  # hide from the intents the words that tell an outage from a reading.
  slot "fuel" {
    type    = fuel
    prompt  = response.ask_fuel
    default = matches(message, "停电|没电|断电|跳闸") ? "electricity" : (matches(message, "停气|没气|断气") ? "gas" : null)
  }

  slot "address" {
    type     = text
    prompt   = response.ask_outage_address
    validate = length(trimspace(slot.address)) >= 5
  }

  slot "scope" {
    type   = outage_scope
    prompt = response.ask_scope
  }

  outcome "logged" {
    ticket {
      queue       = queue.faults
      subject     = "${label("fuel", slot.fuel)} outage at ${slot.address}"
      description = "Affected: ${slot.scope}"
      priority    = slot.scope == "wider" ? "urgent" : "high"
    }
    reply = response.outage_logged
  }
}

dialog "meter_reading" {
  trigger = [intent.meter_reading]
  title   = { en = "your meter reading", zh = "提交读数" }

  slot "account_number" {}
  call "account" {}

  slot "fuel" {
    type   = fuel
    prompt = response.ask_fuel
  }

  slot "reading" {
    type     = number
    prompt   = response.ask_reading
    validate = slot.reading >= 0 && slot.reading <= 999999
    invalid  = response.invalid_reading
  }

  slot "read_on" {
    type     = date
    prompt   = response.ask_reading_date
    validate = days_between(slot.read_on, now) >= 0 && days_between(slot.read_on, now) <= 30
    invalid  = response.invalid_reading_date
  }

  confirm {
    prompt = response.confirm_reading
  }

  outcome "submitted" {
    call "submit" {
      operation = connector.billing.submit_reading
      input     = { account_number = slot.account_number, fuel = slot.fuel, reading = slot.reading, read_on = slot.read_on }
    }
    reply = response.reading_submitted
  }
}

dialog "dispute_bill" {
  trigger = [intent.dispute_bill]
  title   = { en = "your bill dispute", zh = "账单异议" }

  slot "account_number" {}
  call "account" {}

  slot "bill_month" {
    type   = date_range
    prompt = response.ask_bill_month
  }

  slot "amount" {
    type     = money
    prompt   = response.ask_disputed_amount
    validate = slot.amount > 0
    invalid  = response.invalid_disputed_amount
  }

  slot "reason" {
    type   = text
    prompt = response.ask_dispute_reason
  }

  outcome "logged" {
    ticket {
      queue       = queue.billing
      subject     = "Bill dispute ${slot.account_number}: ${money(slot.amount, var.currency)}"
      description = "Bill period ${slot.bill_month.start} to ${slot.bill_month.end}. Customer says: ${slot.reason}"
    }
    reply = response.dispute_logged
  }
}

dialog "payment_plan" {
  trigger = [intent.payment_plan]
  title   = { en = "your payment plan", zh = "分期付款" }

  slot "account_number" {}
  call "account" {}

  slot "amount" {
    type     = money
    prompt   = response.ask_plan_amount
    validate = slot.amount >= 50 && slot.amount <= 20000
    invalid  = response.invalid_plan_amount
  }

  slot "months" {
    type     = number
    prompt   = response.ask_plan_months
    validate = slot.months >= 2 && slot.months <= 12
    invalid  = response.invalid_plan_months
  }

  confirm {
    prompt = response.confirm_plan
  }
}

dialog "moving_home" {
  trigger = [intent.moving_home]
  title   = { en = "your move", zh = "搬家办理" }

  slot "account_number" {}
  call "account" {}

  slot "move_out" {
    type     = date
    prompt   = response.ask_move_out
    validate = days_between(now, slot.move_out) >= 0 && days_between(now, slot.move_out) <= 90
    invalid  = response.invalid_move_out
  }

  slot "new_address" {
    type     = text
    prompt   = response.ask_new_address
    validate = length(trimspace(slot.new_address)) >= 6
    invalid  = response.invalid_new_address
  }

  confirm {
    prompt = response.confirm_move
    on_no {
      reask = slot.new_address
    }
  }

  outcome "registered" {
    call "move" {
      operation = connector.billing.register_move
      input     = { account_number = slot.account_number, move_out = slot.move_out, new_address = slot.new_address }
    }
    reply = response.move_registered
  }
}

dialog "change_tariff" {
  trigger = [intent.change_tariff]
  title   = { en = "your tariff change", zh = "更换套餐" }

  slot "account_number" {}
  call "account" {}

  slot "tariff" {
    type     = tariff
    prompt   = response.ask_tariff
    validate = slot.tariff != call.account.tariff
    invalid  = response.already_on_tariff
  }

  confirm {
    prompt = response.confirm_tariff
  }

  outcome "switched" {
    call "switch" {
      operation = connector.billing.change_tariff
      input     = { account_number = slot.account_number, tariff = slot.tariff }
    }
    reply = response.tariff_changed
  }
}

answer "greet" {
  intent   = intent.greet
  reply    = response.greet
  resolves = false
}

answer "thanks" {
  intent   = intent.thanks
  reply    = response.thanks
  resolves = false
}

answer "goodbye" {
  intent = intent.goodbye
  reply  = response.goodbye
  end    = true
}

answer "pay_methods" {
  intent = intent.pay_methods
  reply  = response.pay_methods
}

answer "read_meter_help" {
  intent = intent.read_meter_help
  reply  = response.read_meter_help
}

answer "bill_dates" {
  intent = intent.bill_dates
  reply  = response.bill_dates
}
