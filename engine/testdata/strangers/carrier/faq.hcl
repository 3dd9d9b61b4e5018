faq "data_balance_en" {
  question     = "How do I check how much data I have left?"
  alternatives = ["check my data balance", "how much data is left", "data usage"]
  answer       = "Text CXLL to 10086, or open the app and tap My Usage."
}

faq "data_balance_zh" {
  question     = "怎么查剩余流量？"
  alternatives = ["查流量", "流量还剩多少", "查询流量余额"]
  answer       = "发送短信CXLL到10086，或打开App点击“我的用量”即可查询。"
}

faq "apn_en" {
  question     = "What are the APN settings?"
  alternatives = ["APN settings for mobile data", "how to set up internet on my phone"]
  answer       = "Use APN \"cmnet\" with no username or password, then restart your phone."
}

faq "apn_zh" {
  question     = "APN怎么设置？"
  alternatives = ["手机APN设置", "接入点怎么设置"]
  answer       = "接入点名称（APN）填写 cmnet，用户名和密码留空，设置后重启手机。"
}
