# The time-of-day pattern of docs/language.md (entity.hcl is a copy of it)
# and the locals that check it against opening hours (locals.hcl), run end
# to end by go test ./cmd/parley/parleycmd -run BuiltinEntityBot.

bot "times" {
  languages = ["zh", "en"]
}

intent "lost_item" {
  examples = [
    "我东西落在车上了", "手机丢了", "钱包丢在车上了", "包忘在车筐里了",
    "I lost my phone", "I left my bag on the scooter", "lost item", "I forgot my keys",
  ]
}

test "times as customers write them" {
  for_each = {
    "昨天晚上8点手机丢了"              = "晚上8点"
    "下午三点半手机丢了"               = "下午三点半"
    "下午两点手机丢了"                = "下午两点"
    "凌晨两点半手机丢了"               = "凌晨两点半"
    "8点30手机丢了"                = "8点30"
    "8点30分手机丢了"               = "8点30分"
    "8点5分手机丢了"                = "8点5分"
    "晚上7点3个人"                 = "晚上7点"
    "下午三点二十分手机丢了"             = "下午三点二十分"
    "下午三点十五手机丢了"              = "下午三点十五"
    "晚上七点一刻手机丢了"              = "晚上七点一刻"
    "晚上六点三刻手机丢了"              = "晚上六点三刻"
    "周六十点手机丢了"                = "十点"
    "周五十点半手机丢了"               = "十点半"
    "十二点手机丢了"                 = "十二点"
    "8：30手机丢了"                = "8:30"
    "lost my phone at 3:30pm" = "3:30PM"
    "lost my phone at 3 pm"   = "3 PM"
    "lost my phone at 15:30"  = "15:30"
  }

  turn {
    user     = each.key
    entities = { time = each.value }
  }
}

intent "book_table" {
  examples = [
    "订个位", "我想订位", "帮我订一桌", "今晚有位吗", "预订餐位",
    "book a table", "I'd like a reservation", "table for tonight", "can I reserve a table",
  ]
}

dialog "book_table" {
  trigger = [intent.book_table]

  slot "time" {
    type     = time
    prompt   = { zh = "几点到？", en = "What time?" }
    validate = local.time_open
    invalid  = { zh = "午市11:00-14:00，晚市17:00-22:00。几点到？", en = "We serve 11:00-14:00 and 17:00-22:00. What time?" }
  }

  outcome "booked" {
    reply = "OK ${format("%02d:%02d", local.time_hour, local.time_minute)}"
  }
}

# 下午, 晚上 and PM read before the bare hour: "晚上11点" is 23:00, not 11:00.
test "times checked against opening hours" {
  for_each = {
    "晚上9点59" = "OK 21:59"
    "晚上七点一刻" = "OK 19:15"
    "7PM"    = "OK 19:00"
    "11点"    = "OK 11:00"
    "中午12点"  = "OK 12:00"
    "下午1点"   = "OK 13:00"
    "12:30"  = "OK 12:30"
    "下午两点"   = "*晚市*"
    "晚上10点"  = "*晚市*"
    "晚上11点"  = "*晚市*"
    "11PM"   = "*17:00-22:00*"
    "早上9点"   = "*晚市*"
  }

  turn {
    user = "订个位"
  }

  turn {
    user       = each.key
    reply_glob = each.value
  }
}
