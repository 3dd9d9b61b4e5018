connector "accounts" {
  type = "fixture"
  data = {
    lines = {
      "13812345678" = { owner_id = "C100", plan = "basic", balance = 20 }
      "13912345678" = { owner_id = "C200", plan = "unlimited", balance = 5 }
    }
  }

  operation "get_line" {
    input  = { phone = string }
    output = { owner_id = string, plan = string, balance = number }
    lookup = "lines"
  }

  operation "change_plan" {
    input   = { phone = string, plan = string }
    output  = { change_id = string, effective = string }
    respond = { change_id = "PC-{phone}", effective = "2026-12-01" }
  }

  operation "top_up" {
    input   = { phone = string, amount = number }
    output  = { topup_id = string, amount = number }
    respond = { topup_id = "TU-{phone}", amount = "{amount}" }
  }

  operation "verify_identity" {
    input   = { phone = string, id_last6 = string }
    output  = { ok = bool }
    respond = { ok = true }
  }

  operation "replace_sim" {
    input   = { phone = string, reason = string }
    output  = { order_id = string }
    respond = { order_id = "SIM-{phone}" }
  }

  operation "activate_roaming" {
    input   = { phone = string, country = string, start = string, end = string }
    output  = { roaming_id = string }
    respond = { roaming_id = "RM-{country}" }
  }
}

connector "billing" {
  type = "fixture"

  operation "credit" {
    input   = { phone = string, amount = number, reason = optional(string) }
    output  = { credit_id = string, amount = number }
    respond = { credit_id = "CR-{phone}", amount = "{amount}" }
  }
}

connector "network" {
  type = "fixture"
  data = {
    outages = {
      chaoyang  = { status = "outage", eta = "18:00" }
      haidian   = { status = "ok", eta = "" }
      dongcheng = { status = "ok", eta = "" }
      xicheng   = { status = "ok", eta = "" }
      pudong    = { status = "maintenance", eta = "06:00" }
    }
  }

  operation "check_area" {
    input  = { area = string }
    output = { status = string, eta = string }
    lookup = "outages"
  }
}
