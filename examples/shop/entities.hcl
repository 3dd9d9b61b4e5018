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
  labels = { # how the reasons read in replies, and on the buttons that offer them
    damaged      = { en = "it arrived damaged", zh = "商品损坏" }
    wrong_item   = { en = "it's the wrong item", zh = "发错货" }
    changed_mind = { en = "you changed your mind", zh = "不想要了" }
    late         = { en = "it arrived late", zh = "太慢没收到" }
  }
}

# The order system's statuses: never typed by customers, but shown to them,
# so they have a name in each language (label("order_status", ...)).
labels "order_status" {
  values = {
    processing = { en = "being prepared", zh = "备货中" }
    shipped    = { en = "on its way", zh = "已发货" }
    delivered  = { en = "delivered", zh = "已签收" }
  }
}
