bot "b" {
  languages = ["en"]

  business_hours {
    time_zone = "Europe/London"
    weekdays  = "09:00-18:00"
  }
}

locals {
  # "HH" is the 12-hour clock's hour: 2 at 14:00, so this never holds after 2pm.
  after_cutoff = tonumber(formatdate("HH", now)) >= 14 # WARNING: 12-hour clock without AM or PM
  # The 24-hour hour, and the 12-hour one with its AM or PM, are fine.
  hour_24 = tonumber(formatdate("hh", now))
  shown   = formatdate("H:mm AA", now)
  quoted  = formatdate("'H'hh", now)
}

intent "rush" {
  examples = ["rush my order", "I need it fast", "express please", "can you rush it", "urgent order"]
}

response "rush" {
  en = "%{ if local.after_cutoff }It ships tomorrow.%{ else }It ships today (${local.shown}, hour ${local.hour_24}, ${local.quoted}).%{ endif }"
}

answer "rush" {
  intent = intent.rush
  reply  = response.rush
}

response "at" {
  en = "Now: ${formatdate("DD MMM YYYY HH:mm", now)}" # WARNING: 12-hour clock without AM or PM
}
