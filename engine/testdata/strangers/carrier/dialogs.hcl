slot "phone" {
  type    = phone
  prompt  = response.ask_phone
  default = customer.phone

  on_exhausted {
    reply   = response.phone_give_up
    handoff = queue.general
  }
}

call "line" {
  operation = connector.accounts.get_line
  input     = { phone = slot.phone }

  on_not_found {
    reply = response.line_not_found
    reask = slot.phone
  }
}

dialog "change_plan" {
  title   = { en = "your plan change", zh = "套餐变更" }
  trigger = [intent.change_plan]

  slot "phone" {}
  call "line" {}

  slot "new_plan" {
    type     = plan
    prompt   = response.ask_plan
    validate = slot.new_plan != call.line.plan
    invalid  = response.same_plan
  }

  confirm {
    prompt = response.confirm_plan
  }

  outcome "not_owner" {
    when     = call.line.owner_id != customer.id
    resolves = false
    reply    = response.not_your_line
  }

  outcome "change" {
    call "change" {
      operation = connector.accounts.change_plan
      input     = { phone = slot.phone, plan = slot.new_plan }
    }
    reply = response.plan_changed
  }
}

dialog "top_up" {
  title   = { en = "your data top-up", zh = "流量充值" }
  trigger = [intent.top_up]

  slot "phone" {}

  slot "amount" {
    type     = money
    prompt   = response.ask_topup_amount
    validate = slot.amount >= 10 && slot.amount <= 500
    invalid  = response.topup_amount_invalid
  }

  confirm {
    prompt = response.confirm_topup
  }

  outcome "done" {
    call "topup" {
      operation = connector.accounts.top_up
      input     = { phone = slot.phone, amount = slot.amount }
    }
    reply = response.topup_done
  }
}

dialog "sim_replacement" {
  title   = { en = "your SIM replacement", zh = "补换卡" }
  trigger = [intent.sim_replacement]

  slot "reason" {
    type   = sim_reason
    prompt = response.ask_sim_reason
  }

  slot "phone" {}
  call "line" {}

  slot "id_last6" {
    type     = text
    prompt   = response.ask_id_last6
    validate = matches(upper(slot.id_last6), "^[0-9]{5}[0-9X]$") && call.verify.ok == true
    invalid  = response.id_invalid
    retries  = 2

    on_exhausted {
      reply = response.id_failed
    }
  }

  call "verify" {
    operation = connector.accounts.verify_identity
    input     = { phone = slot.phone, id_last6 = upper(slot.id_last6) }
  }

  outcome "not_owner" {
    when     = call.line.owner_id != customer.id
    resolves = false
    reply    = response.not_your_line
  }

  outcome "lost" {
    when = slot.reason == "lost"
    call "sim" {
      operation = connector.accounts.replace_sim
      input     = { phone = slot.phone, reason = slot.reason }
    }
    reply = response.sim_lost_done
  }

  outcome "damaged" {
    call "sim" {
      operation = connector.accounts.replace_sim
      input     = { phone = slot.phone, reason = slot.reason }
    }
    reply = response.sim_damaged_done
  }
}

dialog "roaming" {
  title   = { en = "your roaming", zh = "开通漫游" }
  trigger = [intent.roaming]

  slot "country" {
    type   = country
    prompt = response.ask_country
  }

  slot "dates" {
    type     = date_range
    prompt   = response.ask_travel_dates
    validate = days_between(now, slot.dates.start) >= 0 && days_between(slot.dates.start, slot.dates.end) <= 90
    invalid  = response.travel_dates_invalid
  }

  slot "phone" {}

  confirm {
    prompt = response.confirm_roaming
  }

  outcome "on" {
    call "roaming" {
      operation = connector.accounts.activate_roaming
      input     = { phone = slot.phone, country = slot.country, start = slot.dates.start, end = slot.dates.end }
    }
    reply = response.roaming_done
  }
}

dialog "bill_dispute" {
  title   = { en = "your bill dispute", zh = "账单异议" }
  trigger = [intent.bill_dispute]

  slot "phone" {}
  call "line" {}

  slot "amount" {
    type     = money
    prompt   = response.ask_dispute_amount
    validate = slot.amount > 0
  }

  slot "charge" {
    type   = text
    prompt = response.ask_dispute_charge
  }
}

dialog "outage" {
  title   = { en = "your network problem", zh = "网络故障" }
  trigger = [intent.outage]

  slot "area" {
    type   = area
    prompt = response.ask_area
  }

  call "area" {
    operation = connector.network.check_area
    input     = { area = slot.area }
  }

  outcome "known" {
    when  = call.area.status == "outage"
    reply = response.outage_known
  }

  outcome "maintenance" {
    when  = call.area.status == "maintenance"
    reply = response.outage_maintenance
  }

  outcome "report" {
    ticket {
      queue   = queue.network
      subject = "Signal problem reported in ${slot.area}"
    }
    reply = response.outage_reported
  }
}
