# The shop bot: a retail customer-service assistant in English and Chinese.

bot "shop" {
  description          = "Customer service for an online electronics shop"
  languages            = ["en", "zh"] # the first one is the default
  confidence_threshold = 0.45         # below this an intent counts as not understood
  session_timeout      = "30m"        # a quiet conversation starts over after this

  business_hours {
    time_zone = "Asia/Shanghai"
    weekdays  = "09:00-18:00"
    saturday  = "10:00-16:00"
    sunday    = "closed"
    holidays  = ["2026-12-25", "2027-01-01"]
  }

  replies {
    not_understood = response.not_understood
    error          = response.error
    goodbye        = response.goodbye
  }

  # What logs and the audit trail never show in the clear.
  privacy {
    mask = ["email", "phone", "card"]
  }
}

# Yesterday's figures, every morning, as a spreadsheet (parley serve sends it
# over SMTP: PARLEY_SMTP_HOST and PARLEY_SMTP_FROM).
report "daily" {
  schedule   = "daily 07:00" # in the time zone of business_hours
  format     = "xlsx"
  recipients = ["support-leads@shop.example"]
  by         = ["channel"]
}

variable "auto_refund_limit" {
  description = "Refunds below this amount are approved without review"
  value       = 500
}

variable "supervisor_limit" {
  description = "Refunds above this amount need a supervisor"
  value       = 5000
}

variable "currency" {
  value = "CNY"
}

# Answers from the shop's documents and FAQs (faq blocks in knowledge/faq.hcl
# are always included). A question no intent understands is searched here.
knowledge {
  sources   = ["knowledge/*.md", "knowledge/faq_*.csv"]
  threshold = 0.10 # chosen on half the retrieval set (BENCHMARKS.md)
  top_k     = 3
  reply     = response.knowledge_answer
}
