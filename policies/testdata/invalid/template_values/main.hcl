# A template can show text, numbers and true or false. A whole object or list
# inserted into it fails each time it is said (the customer gets the error
# reply), and a format_date layout with no part of the example date writes
# every date as the layout. Both are warnings: bots written before these
# checks keep validating.

bot "b" {
  languages = ["en"]
}

intent "statement" {
  examples = ["statement please", "my statement", "send a statement", "statement for last month", "I need a statement"]
}

connector "accounts" {
  type = "fixture"
  data = {}

  operation "entries" {
    input   = { from = string }
    output  = { items = list(string), count = number }
    respond = { items = ["a"], count = 1 }
  }
}

response "period" {
  en = "From ${slot.period.start} to ${slot.period.end}, ${slot.period}." # WARNING: Value can't be shown as text
}

dialog "statement" {
  trigger = [intent.statement]

  slot "period" {
    type   = date_range
    prompt = "Which period?"
  }

  call "entries" {
    operation = connector.accounts.entries
    input     = { from = slot.period.start }
  }

  outcome "none" {
    when  = call.entries.count == 0
    reply = "Nothing from ${format_date(slot.period.start, "DD/MM/YYYY")} to ${format_date(slot.period.end, "2 Jan 2006")}." # WARNING: Date layout without a date
  }

  outcome "done" {
    reply = "${call.entries.count} entries: ${call.entries.items}" # WARNING: Value can't be shown as text
  }
}
