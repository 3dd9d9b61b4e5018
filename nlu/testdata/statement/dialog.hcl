dialog "statement" {
  trigger = [intent.statement]

  slot "period" {
    type   = date_range
    prompt = { en = "For which period? For example: last month.", zh = "查询哪个时间段？例如：上个月。" }
  }

  slot "payee" {
    type     = person
    optional = true
  }

  outcome "done" {
    reply = {
      en = "Your statement from ${slot.period.start} to ${slot.period.end} is on its way."
      zh = "已为您生成 ${slot.period.start} 至 ${slot.period.end} 的账单。"
    }
  }
}
