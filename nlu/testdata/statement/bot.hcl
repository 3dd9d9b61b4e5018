# The date_range and person example of docs/language.md (dialog.hcl is a copy
# of it), run end to end by go test ./cmd/parley/parleycmd -run BuiltinEntityBot.

bot "statement" {
  languages = ["en", "zh"]
}

intent "statement" {
  examples = [
    "send me my statement", "statement for last month", "I need my account statement",
    "can I get a statement", "statement please", "我要对账单", "查一下账单", "给我发对账单",
  ]
}

test "a statement for last month" {
  now = "2026-11-23T10:00:00+08:00"

  turn {
    user  = "send me my statement for last month"
    reply = "Your statement from 2026-10-01 to 2026-10-31 is on its way."
  }
}

test "the period asked for" {
  now      = "2026-11-23T10:00:00+08:00"
  language = "zh"

  turn {
    user = "我要对账单"
  }

  turn {
    user  = "上个月"
    reply = "已为您生成 2026-10-01 至 2026-10-31 的账单。"
  }
}
