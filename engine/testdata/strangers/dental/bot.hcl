bot "smile_dental" {
  description          = "微笑牙科连锁：预约、改约、取消、费用与保险咨询"
  languages            = ["zh", "en"]
  confidence_threshold = 0.45
  session_timeout      = "30m"

  business_hours {
    time_zone = "Asia/Shanghai"
    weekdays  = "09:00-20:00"
    saturday  = "09:00-17:00"
    sunday    = "10:00-16:00"
    holidays  = ["2027-01-01"]
  }

  replies {
    not_understood = response.not_understood
    goodbye        = response.goodbye
  }

  privacy {
    mask = ["email", "phone", "card"]
  }
}

variable "late_cancel_fee" {
  description = "取消或改约距离就诊不足24小时收取的费用（元）"
  value       = 50
}

variable "currency" {
  value = "CNY"
}

variable "emergency_hotline" {
  value = "400-820-1234"
}
