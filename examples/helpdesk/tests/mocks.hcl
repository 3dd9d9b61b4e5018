# ServiceNow as the tests know it: the users and incidents of backend/
# (its Seed). `parley test examples/helpdesk` needs nothing running; make test
# also runs the same tests with -live against the stand-in in backend/.

mock {
  operation = connector.servicenow.find_user
  input     = { email = "abraham.lincoln@example.com" }
  output    = { sys_id = "6816f79cc0a8016401c5a33be04be441", name = "Abraham Lincoln" }
}

mock {
  operation = connector.servicenow.find_user
  input     = { email = "abel.tuter@example.com" }
  output    = { sys_id = "a8f98bb0eb32010045e1a5115206fe3a", name = "Abel Tuter" }
}

mock {
  operation = connector.servicenow.find_user
  input     = { email = "aileen.mottern@example.com" }
  output    = { sys_id = "71826bf03710200044e0bfc8bcbe5d3b", name = "Aileen Mottern" }
}

mock {
  operation = connector.servicenow.find_user
  input     = { email = "wang.xiaoming@example.com" }
  output    = { sys_id = "5137153cc611227c000bbd1bd8cd2005", name = "王小明" }
}

# Anyone else: ServiceNow answers with no user.
mock {
  operation = connector.servicenow.find_user
  output    = {}
}

mock {
  operation = connector.servicenow.list_incidents
  input     = { email = "abraham.lincoln@example.com" }
  output = {
    incidents = [
      { number = "INC0000016", short_description = "Rain is leaking on main DNS Server", opened_at = "2026-11-22 16:03:10", incident_state = "New" },
      { number = "INC0000015", short_description = "I can't launch my VPN client since the last software update", opened_at = "2026-11-20 09:12:44", incident_state = "In Progress" },
    ]
  }
}

mock {
  operation = connector.servicenow.list_incidents
  input     = { email = "wang.xiaoming@example.com" }
  output = {
    incidents = [
      { number = "INC0000017", short_description = "打印机无法连接", opened_at = "2026-11-21 10:30:00", incident_state = "On Hold" },
    ]
  }
}

mock {
  operation = connector.servicenow.list_incidents
  output    = { incidents = [] }
}

# New incidents: the stand-in numbers them from INC0010001 on, so tests match
# the number with a pattern.
mock {
  operation = connector.servicenow.create_incident
  output    = { number = "INC0010001" }
}
