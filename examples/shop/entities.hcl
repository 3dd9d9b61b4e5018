# Entities: the things the bot picks out of a message.
# Built-in types need no block: number, money, email, phone, date, text, yes_no.

entity "order_id" {
  description = "Our order numbers: two capital letters and six digits"
  pattern     = "[A-Z]{2}[0-9]{6}"
  ignore_case = true # "ab123456" is read as "AB123456"
}

entity "product" {
  values = {
    laptop     = ["notebook", "macbook", "笔记本", "笔记本电脑"]
    phone      = ["mobile", "cell phone", "smartphone", "手机"]
    headphones = ["earphones", "earbuds", "headset", "耳机"]
    tablet     = ["ipad", "平板", "平板电脑"]
  }
}

entity "refund_reason" {
  values = {
    damaged      = ["broken", "arrived broken", "cracked", "damaged", "坏了", "损坏", "破损"]
    wrong_item   = ["wrong item", "wrong product", "not what i ordered", "发错", "发错货"]
    changed_mind = ["changed my mind", "don't want it", "no longer need", "不想要了", "不要了"]
    late         = ["too late", "arrived late", "never arrived", "太慢", "没收到"]
  }
}
