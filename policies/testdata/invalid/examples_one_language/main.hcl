bot "b" {
  languages = ["en", "zh"]
}

intent "track_order" {
  examples = [
    "where is my order", "track my parcel", "has my package shipped",
    "我的订单到哪了", "查一下物流", "包裹发货了吗",
  ]
}

intent "refund" { # WARNING: No examples in a language
  examples = [
    "I want a refund", "give me my money back", "refund my order",
    "can I get a refund", "return this for a refund",
  ]
}

intent "greet" { # WARNING: No examples in a language
  examples = ["你好", "您好", "在吗", "哈喽", "早上好"]
}
