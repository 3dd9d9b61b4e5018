# An amount and a number of months: a bare number may be either.
bot "plans" {
  languages = ["en", "zh"]
}

intent "plan" {
  examples = ["I need a payment plan", "我想分期付款"]
}

response "confirm_plan" {
  en = "${slot.amount} over ${slot.months} months?"
  zh = "${slot.amount} 分 ${slot.months} 个月？"
}

dialog "plan" {
  trigger = [intent.plan]

  slot "amount" {
    type     = money
    prompt   = { en = "How much?", zh = "多少钱？" }
    validate = slot.amount >= 50
    invalid  = { en = "At least 50. How much?", zh = "至少50元。多少钱？" }
  }

  slot "months" {
    type     = number
    prompt   = { en = "How many months?", zh = "几个月？" }
    validate = slot.months >= 2 && slot.months <= 12
    invalid  = { en = "2 to 12 months. How many months?", zh = "2到12个月。几个月？" }
  }

  confirm {
    prompt = response.confirm_plan
  }

  outcome "done" {
    reply = { en = "Set up.", zh = "已办理。" }
  }
}
