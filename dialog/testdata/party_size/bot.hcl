# "俩人" to "几位用餐？" is the party size, though 人 made it look like a
# request for a person: a count word after a number is a small word.
bot "tables" {
  languages = ["zh"]
}

intent "book_table" {
  examples = ["订位", "我想订位"]
}

intent "human" {
  examples = ["转人工", "找真人"]
}

queue "service" {}

handoff "asked_for_human" {
  when  = intent.name == "human"
  queue = queue.service
}

dialog "book_table" {
  trigger = [intent.book_table]

  slot "party_size" {
    type   = number
    prompt = "几位用餐？"
  }

  outcome "done" {
    reply = "好的，${slot.party_size}位。"
  }
}
