# A confirmation whose buttons say neither yes nor no: customers on a
# channel without buttons type the labels.
bot "t" {
  languages = ["en", "zh"]
}

intent "trade_in" {
  examples = ["trade in my phone"]
}

entity "model" {
  values = {
    iphone = ["iphone"]
  }
}

response "confirm_offer" {
  en = "We offer 1800 for your ${slot.model}. Accept the offer?"
  zh = "您的 ${slot.model} 可抵 1800 元，是否接受？"

  button "yes" {
    en = "Accept"
    zh = "接受"
  }
  button "no" {
    en = "No thanks"
    zh = "暂不需要"
  }
}

dialog "trade_in" {
  trigger = [intent.trade_in]

  slot "model" {
    type   = model
    prompt = "Which model?"
  }

  confirm {
    prompt = response.confirm_offer
    on_no {
      reply = "Offer declined."
    }
  }

  outcome "accepted" {
    reply = "Offer accepted."
  }
}
