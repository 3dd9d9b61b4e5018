response "sorry" {
  en    = "Sorry, let me get a person."
  zh    = "抱歉，我帮您转人工。"
  zh-TW = "抱歉，我幫您轉人工。"
}

response "confirm" {
  en    = "${slot.count} x ${slot.dish}, right?"
  zh    = "${slot.count} 份${slot.dish}，对吗？"
  zh-TW = "${slot.count} 份${slot.dish}，對嗎？"

  button "yes" {
    en = "Yes"
    zh = "是"
  }
  button "no" {
    en = "No"
  }
  button "human" {
    en = "Talk to a person"
  }
}

response "placed" {
  en    = ["Order ${call.place.id} placed, ready in ${call.place.eta} minutes.", "Done: ${call.place.id}."]
  zh    = "订单 ${call.place.id} 已下单。"
  zh-TW = "訂單 ${call.place.id} 已下單。"
}
