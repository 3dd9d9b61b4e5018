response "greet" {
  zh = "您好！我可以帮您查订单。"
  en = "Hi! I can track orders."
  button "human" {
    zh = "转人工"
    en="Talk to a person"
  }
}
