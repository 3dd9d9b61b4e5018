bot "b" {
  languages = ["en"]
}

queue "general" {
  sla {
    urgent  = "2 hours" # ERROR: Invalid duration
    normal  = "24h"
    someday = "72h" # ERROR: Unsupported argument
  }

  sla { # ERROR: Duplicate sla block
    low = "1h"
  }
}

queue "empty" {
  sla {} # ERROR: Empty sla block
}

# A stranger's first guess: days, which durations lack (the detail says "120h").
queue "disputes" {
  sla {
    normal = "5d" # ERROR: Invalid duration
  }
}
