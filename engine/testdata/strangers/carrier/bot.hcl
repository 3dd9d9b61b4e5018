bot "carrier" {
  description          = "Customer service for a mobile carrier"
  languages            = ["en", "zh"]
  confidence_threshold = 0.45
  session_timeout      = "30m"

  business_hours {
    time_zone = "Asia/Shanghai"
    weekdays  = "08:00-22:00"
    weekend   = "09:00-18:00"
  }

  replies {
    not_understood = response.not_understood
    goodbye        = response.goodbye
  }

  privacy {
    mask = ["email", "phone", "card", "id_last6"]
  }
}

variable "auto_credit_limit" {
  description = "Disputed amounts below this are credited at once"
  value       = 50
}

variable "supervisor_limit" {
  description = "Disputed amounts above this need a supervisor"
  value       = 200
}

variable "currency" {
  value = "CNY"
}
