# "取一辆小车，我25岁" gives two numbers, the 一 of 一辆 and 25: the driver's
# age takes the one its validate takes, and the days, which counts time,
# takes neither the 一 of 一辆 (vehicles) nor 25岁 (an age).
bot "rental" {
  languages = ["zh", "en"]
}

intent "book_car" {
  examples = ["租车", "我想租车"]
}

dialog "book_car" {
  trigger = [intent.book_car]

  slot "days" {
    type     = number
    prompt   = "租几天？"
    validate = slot.days >= 1 && slot.days <= 30
  }

  slot "age" {
    type     = number
    prompt   = "驾驶人多大年龄？"
    validate = slot.age >= 21 && slot.age <= 99
    invalid  = "驾驶人年龄须在21至99岁之间。"
  }

  outcome "done" {
    reply = "好的，${slot.days}天，驾驶人${slot.age}岁。"
  }
}

intent "buy" {
  examples = ["买东西", "我想买"]
}

dialog "buy" {
  trigger = [intent.buy]

  slot "quantity" {
    type   = number
    prompt = "要几件？"
  }

  outcome "done" {
    reply = "好的，${slot.quantity}件。"
  }
}
