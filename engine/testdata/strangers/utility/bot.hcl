bot "utility" {
  description          = "Customer service for Brightwatt, an electricity and gas supplier"
  languages            = ["en", "zh"]
  confidence_threshold = 0.45
  session_timeout      = "30m"

  business_hours {
    time_zone = "Asia/Shanghai"
    weekdays  = "08:00-20:00"
    saturday  = "09:00-17:00"
    sunday    = "closed"
  }

  replies {
    not_understood = response.not_understood
    error          = response.error
    goodbye        = response.goodbye
  }

  privacy {
    mask = ["email", "phone", "card", "account_number"]
  }
}

variable "currency" {
  value = "CNY"
}

variable "auto_plan_limit" {
  description = "Payment plans below this amount are approved automatically"
  value       = 300
}

variable "supervisor_plan_limit" {
  description = "Payment plans above this amount need a supervisor"
  value       = 2000
}
