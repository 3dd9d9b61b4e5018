locals {
  # Hours until the booking starts; negative once it has passed.
  hours_left = hours_between(now, call.booking.starts_at)

  # The hour written in "下午3点", "10点", "15:30" or "3PM", as a number (24-hour clock).
  time_hour_written = regex("([0-9]{1,2}|十[一二]?|[一二两三四五六七八九])(点|:| ?AM| ?PM)", slot.time)[0]
  time_hour_number  = tonumber(lookup({ "一" = 1, "二" = 2, "两" = 2, "三" = 3, "四" = 4, "五" = 5, "六" = 6, "七" = 7, "八" = 8, "九" = 9, "十" = 10, "十一" = 11, "十二" = 12 }, local.time_hour_written, local.time_hour_written))
  # A bare 1 to 8 o'clock at a dental clinic is in the afternoon or evening.
  time_hour = local.time_hour_number + (local.time_hour_number < 12 && (matches(slot.time, "下午|傍晚|晚上|PM") || local.time_hour_number <= 8 && !matches(slot.time, "凌晨|早上|上午|AM")) ? 12 : 0)
  time_open = local.time_hour >= 9 && local.time_hour < 20

  new_time_hour_written = regex("([0-9]{1,2}|十[一二]?|[一二两三四五六七八九])(点|:| ?AM| ?PM)", slot.new_time)[0]
  new_time_hour_number  = tonumber(lookup({ "一" = 1, "二" = 2, "两" = 2, "三" = 3, "四" = 4, "五" = 5, "六" = 6, "七" = 7, "八" = 8, "九" = 9, "十" = 10, "十一" = 11, "十二" = 12 }, local.new_time_hour_written, local.new_time_hour_written))
  new_time_hour         = local.new_time_hour_number + (local.new_time_hour_number < 12 && (matches(slot.new_time, "下午|傍晚|晚上|PM") || local.new_time_hour_number <= 8 && !matches(slot.new_time, "凌晨|早上|上午|AM")) ? 12 : 0)
  new_time_open         = local.new_time_hour >= 9 && local.new_time_hour < 20
}
