test "change plan in one go" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "I want to switch to the unlimited plan"
    intent   = intent.change_plan
    slots    = { phone = "13812345678", new_plan = "unlimited" }
    response = response.confirm_plan
  }

  turn {
    user     = "yes"
    calls    = [connector.accounts.change_plan]
    response = response.plan_changed
  }
}

test "change plan asks which plan, zh" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "套餐太贵了，想换个便宜的"
    intent   = intent.change_plan
    response = response.ask_plan
  }

  turn {
    user     = "基础套餐"
    response = response.same_plan
  }

  turn {
    user     = "那就畅享吧"
    slots    = { new_plan = "premium" }
    response = response.confirm_plan
  }

  turn {
    user     = "确认"
    response = response.plan_changed
  }
}

test "change plan for someone else's number is refused" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "change the plan on 13912345678 to family"
    slots    = { phone = "13912345678", new_plan = "family" }
    response = response.confirm_plan
  }

  turn {
    user     = "ok"
    response = response.not_your_line
    calls    = []
  }
}

test "chatty plan change typo" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user   = "hey can u chnage my plan plz"
    intent = intent.change_plan
  }
}

test "no on plan change" {
  customer = { id = "C100", phone = "13812345678" }

  turn {
    user     = "upgrade me to premium"
    response = response.confirm_plan
  }

  turn {
    user   = "no thanks"
    dialog = "none"
    calls  = []
  }
}
