# A correction of another slot while a yes-or-no question is asked ("不对，是
# PS000200" to "袋子有拆封吗？") corrects that slot; its "no" is no answer.

bot "yes_no_correction" {
  languages = ["en", "zh"]
}

intent "return_food" { examples = ["return a bag of food", "I want to return my order", "我要退货"] }

entity "order_id" {
  pattern     = "PS[0-9]{6}"
  ignore_case = true
}

dialog "return_food" {
  trigger = [intent.return_food]

  slot "order_id" {
    type   = order_id
    prompt = "Which order?"
  }

  slot "opened" {
    type   = yes_no
    prompt = "Has the bag been opened?"
  }

  outcome "done" {
    reply = "Order ${slot.order_id}, opened: ${slot.opened}."
  }
}
