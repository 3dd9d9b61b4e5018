# An FAQ worded like an intent's examples is never said.
bot "faqs" {
  languages = ["en", "zh"]
}

intent "payment_plan" {
  examples = [
    "I need a payment plan", "can I pay my bill in instalments", "set up a payment plan",
    "can I pay in installments", "I can't afford to pay it all at once",
    "我想分期付款", "能不能分期交电费", "申请分期缴费",
  ]
}

intent "report_outage" {
  examples = [
    "I have a power cut", "my electricity is off", "no power in my house",
    "家里停电了", "我家没电了", "整栋楼都停电了",
  ]
}

intent "greet" {
  examples = ["hi", "hello", "good morning", "你好", "在吗"]
}

intent "change_tariff" {
  examples = [
    "I want to change my tariff", "switch me to a fixed tariff", "a cheaper tariff please",
    "我想换套餐", "换成峰谷电价", "更改电价套餐",
  ]
}

answer "greet" {
  intent = intent.greet
  reply  = "Hi!"
}

answer "change_tariff" {
  intent = intent.change_tariff
  reply  = "Tariffs change in the app."
}

dialog "payment_plan" {
  trigger = [intent.payment_plan]

  outcome "done" {
    reply = "Done."
  }
}

dialog "report_outage" {
  trigger = [intent.report_outage]

  outcome "done" {
    reply = "Reported."
  }
}

faq "pay" {
  question = "Can I pay my bill in instalments?"
  answer   = "Yes, ask us for a payment plan."
}

faq "hours" {
  question     = "When is customer service open?"
  alternatives = ["What are your opening hours?"]
  answer       = "9:00-18:00 on weekdays."
}
