# Entities: built-in email, and the priority of an incident.

entity "priority" {
  values = {
    low    = ["low", "not urgent", "低", "不急"]
    medium = ["medium", "normal", "中", "一般"]
    high   = ["high", "urgent", "really important", "escalated", "escalate", "super high", "高", "紧急", "很急"]
  }
  labels = {
    low    = { en = "low", zh = "低" }
    medium = { en = "medium", zh = "中" }
    high   = { en = "high", zh = "高" }
  }
}

# ServiceNow's incident states, as the customer reads them.
labels "incident_state" {
  values = {
    "New"         = { en = "is awaiting triage", zh = "等待分派" }
    "In Progress" = { en = "is in progress", zh = "处理中" }
    "On Hold"     = { en = "has been put on hold", zh = "已暂停" }
    "Resolved"    = { en = "has been resolved", zh = "已解决" }
    "Closed"      = { en = "has been closed", zh = "已关闭" }
  }
}
