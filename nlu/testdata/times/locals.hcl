locals {
  # The hour written in "晚上6点半", "七点", "18:30" or "7PM", as a number.
  time_hour_written = regex("([0-9]{1,2}|[一二两三四五六七八九十]{1,3})(点|:| ?AM| ?PM)", slot.time)[0]
  time_hour_number  = tonumber(lookup({ "一" = 1, "二" = 2, "两" = 2, "三" = 3, "四" = 4, "五" = 5, "六" = 6, "七" = 7, "八" = 8, "九" = 9, "十" = 10, "十一" = 11, "十二" = 12 }, local.time_hour_written, local.time_hour_written))
  # 下午, 晚上 or PM before 12 is after noon, and so is a bare 1 to 10 o'clock at a restaurant.
  time_pm   = matches(slot.time, "下午|傍晚|晚上|PM")
  time_hour = local.time_hour_number + (local.time_hour_number < 12 && (local.time_pm || local.time_hour_number < 11 && !matches(slot.time, "凌晨|早上|上午|AM")) ? 12 : 0)
  # The minutes written in "8点30", "18:30", "三点二十", "三点十五分", "六点半" or "七点一刻".
  time_minutes     = regexall("[:点]([0-9]{1,2}|[一二三四五]?十[一二三四五六七八九]?|半|一刻|三刻)", slot.time)
  time_minute_text = length(local.time_minutes) > 0 ? local.time_minutes[0][0] : "0"
  time_digits      = { "一" = 1, "二" = 2, "三" = 3, "四" = 4, "五" = 5, "六" = 6, "七" = 7, "八" = 8, "九" = 9 }
  # 二十五 is 2 tens and 5, 十五 1 ten and 5.
  time_minute_words = lookup(local.time_digits, substr(local.time_minute_text, 0, 1), 1) * 10 + lookup(local.time_digits, substr(local.time_minute_text, -1, 1), 0)
  time_minute       = matches(local.time_minute_text, "^[0-9]+$") ? tonumber(local.time_minute_text) : lookup({ "半" = 30, "一刻" = 15, "三刻" = 45 }, local.time_minute_text, local.time_minute_words)
  time_of_day       = local.time_hour * 60 + local.time_minute
  # Lunch 11:00-14:00, dinner 17:00-22:00.
  time_open = (local.time_of_day >= 660 && local.time_of_day < 840) || (local.time_of_day >= 1020 && local.time_of_day < 1320)
}
