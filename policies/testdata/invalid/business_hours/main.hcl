bot "b" {
  languages = ["en"]
  business_hours {
    time_zone = "Asia/Shangai" # ERROR: Unknown time zone
    weekdays  = "9-18" # ERROR: Invalid opening hours
    saturday  = "10:00-12:00, 11:00-16:00" # ERROR: Invalid opening hours
    sundy     = "closed" # ERROR: Unsupported argument
    holidays  = ["2026-13-01"] # ERROR: Invalid holiday date
  }
}
