# The time-of-day pattern of docs/language.md (entity.hcl is a copy of it),
# run end to end by go test ./cmd/parley/parleycmd -run BuiltinEntityBot.

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
