bot "rich" {
  description          = "Exercises every block type"
  languages            = ["en", "zh", "zh-TW"]
  confidence_threshold = 0.6
  session_timeout      = "1h"

  business_hours {
    time_zone = "Europe/London"
    weekdays  = "09:00-12:00, 13:00-18:00"
    friday    = "09:00-16:00"
    weekends  = "closed"
    holidays  = ["2026-12-25"]
  }

  replies {
    not_understood = { en = ["Pardon?", "Sorry?"], zh = "什么？", zh-TW = "什麼？" }
    error          = "Oops."
  }
}

variable "limit" {
  value = 100
}

variable "flags" {
  description = "Any literal is allowed"
  value       = { fast = true, names = ["a", "b"] }
}
