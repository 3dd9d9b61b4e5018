test "casual openings reach the right intent" {
  for_each = {
    "outage en typo"    = { q = "theres no powr in my apartmnt", i = "report_outage" }
    "outage en short"   = { q = "power cut!!", i = "report_outage" }
    "outage zh casual"  = { q = "咋又停电了", i = "report_outage" }
    "outage zh gas"     = { q = "天然气打不着火了，是不是停气了", i = "report_outage" }
    "meter en casual"   = { q = "wanna send my meter reading", i = "meter_reading" }
    "meter en typo"     = { q = "meter readng for my gas pls", i = "meter_reading" }
    "meter zh casual"   = { q = "报个读数", i = "meter_reading" }
    "dispute en casual" = { q = "wtf why is my bill so high this month", i = "dispute_bill" }
    "dispute en typo"   = { q = "i think ive been overchraged", i = "dispute_bill" }
    "dispute zh casual" = { q = "这个月电费咋这么贵", i = "dispute_bill" }
    "plan en casual"    = { q = "can i pay it off bit by bit", i = "payment_plan" }
    "plan zh casual"    = { q = "钱不够，电费能分几次交吗", i = "payment_plan" }
    "move en casual"    = { q = "we're moving out end of the month", i = "moving_home" }
    "move zh casual"    = { q = "下个月搬家，电表怎么办", i = "moving_home" }
    "tariff en casual"  = { q = "got any cheaper plans", i = "change_tariff" }
    "tariff zh casual"  = { q = "有没有便宜点的电价套餐", i = "change_tariff" }
    "human en casual"   = { q = "just get me a human", i = "human" }
    "human zh casual"   = { q = "不想跟机器人说话", i = "human" }
  }
  turn {
    user   = each.value.q
    intent = each.value.i
  }
}

test "moving out at the end of the month, english" {
  turn {
    user     = "moving out at the end of the month, account AC12345678"
    slots    = { move_out = "2026-11-30" }
    response = response.ask_new_address
  }
}

test "meter reading with a chinese date" {
  turn {
    user = "报读数"
  }
  turn {
    user = "AC12345678"
  }
  turn {
    user = "电表"
  }
  turn {
    user     = "8888"
    response = response.ask_reading_date
  }
  turn {
    user     = "前天"
    slots    = { read_on = "2026-11-21" }
    response = response.confirm_reading
  }
}

test "payment plan, amount with currency up front" {
  turn {
    user     = "I owe ¥1,200, can I pay it over 6 months? AC12345678"
    slots    = { amount = 1200, months = 6 }
    response = response.confirm_plan
  }
  turn {
    user     = "yes"
    approval = queue.billing
  }
}

test "payment plan, chinese all in one" {
  turn {
    user     = "户号AC11112222，欠了200块，想分两个月交"
    slots    = { amount = 200, months = 2 }
    response = response.confirm_plan
  }
  turn {
    user     = "好的"
    response = response.plan_approved
  }
}

test "tariff switch cancelled midway in chinese" {
  turn {
    user     = "我想换套餐"
    response = response.ask_account
  }
  turn {
    user   = "算了，不换了"
    dialog = "none"
  }
}

test "dispute in chinese, 1.2k amount" {
  turn {
    user = "账单不对 AC12345678"
  }
  turn {
    user = "上个月的"
  }
  turn {
    user     = "多收了1.2k"
    slots    = { amount = 1200 }
    response = response.ask_dispute_reason
  }
}
