bot "b" {
  languages = ["en", "zh"]
}

intent "move" {
  examples = ["move my booking to [next friday](date)", "change the date", "reschedule please", "改到[下周六](date)", "改期"]
}

dialog "move" {
  trigger = [intent.move]

  slot "day" {
    type   = date
    prompt = "Which day?"
  }

  slot "deposit" {
    type   = money
    prompt = "How much was the deposit?"
  }

  outcome "done" {
    reply = "Moved."
  }
}

# The NLU gives a date as "YYYY-MM-DD" and an amount as a number, never the
# words the customer typed.
test "expects the words typed" {
  turn {
    user     = "move it to next friday, deposit £60"
    entities = { date = "next friday", money = "£60" } # WARNING: Not a value of the type
    slots    = { day = "next friday" }                 # WARNING: Not a value of the type
  }

  turn {
    user     = "改到下周六"
    entities = { date = ["2026-12-05", "下周六"] } # WARNING: Not a value of the type
    slots    = { deposit = "60 quid" }          # WARNING: Not a value of the type
  }
}

test "expects the values given" {
  turn {
    user     = "move it to next friday, deposit £60"
    entities = { date = "2026-12-04", money = 60, number = null }
    slots    = { day = "2026-12-04", deposit = 60 }
  }
}
