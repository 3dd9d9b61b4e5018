bot "b" {
  languages = ["en", "zh"]
}

entity "device" {
  values = {
    iphone  = ["iPhone", "苹果手机"]
    android = ["Galaxy", "Pixel", "安卓手机"]
  }
}

entity "tier" {
  values = {
    vip  = ["VIP", "会员"]
    gold = ["gold member", "金卡"]
  }
}

intent "ios_help" {
  examples = ["my iPhone won't charge", "iPhone screen is frozen", "help with my iPhone", "苹果手机充不进电", "苹果手机死机了"]
}

intent "android_help" {
  examples = [
    "my Galaxy won't charge", # WARNING: Examples differ only in an entity's value
    "Pixel screen is frozen", # WARNING: Examples differ only in an entity's value
    "help with my Pixel",     # WARNING: Examples differ only in an entity's value
    "安卓手机充不进电",               # WARNING: Examples differ only in an entity's value
    "my phone runs Android and keeps restarting",
  ]
}

intent "membership" { # WARNING: Examples that are only an entity's value
  examples = ["VIP", "会员", "gold member", "金卡", "what do members get"]
}

# One value with other words around it is an ordinary example.
intent "upgrade" {
  examples = ["how do I become a VIP", "升级成会员", "upgrade to gold member", "I want to upgrade", "怎么升级"]
}
