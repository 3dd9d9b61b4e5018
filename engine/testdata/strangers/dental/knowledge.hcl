knowledge {
  sources   = ["knowledge/*.md"]
  threshold = 0.15
  reply     = response.knowledge_answer
}

faq "parking_zh" {
  question     = "诊所有停车位吗？"
  alternatives = ["停车方便吗", "开车去停哪里", "有没有停车场"]
  answer       = "三家分店都有地下停车场，就诊可免费停车2小时。"
}

faq "parking_en" {
  question     = "Is there parking at the clinic?"
  alternatives = ["where can I park", "do you have a car park"]
  answer       = "All three branches have underground parking; patients park free for 2 hours."
}

faq "kids_zh" {
  question     = "小孩可以看牙吗？"
  alternatives = ["儿童牙科", "几岁可以洗牙", "给孩子涂氟"]
  answer       = "可以，三家分店都有儿童牙科，3岁以上可做涂氟和窝沟封闭。"
}

faq "hours_zh" {
  question     = "你们营业时间是几点到几点？"
  alternatives = ["几点开门", "几点关门", "周末营业吗", "晚上开到几点"]
  answer       = "工作日9:00-20:00，周六9:00-17:00，周日10:00-16:00，元旦休息。"
}

faq "hours_en" {
  question     = "What are your opening hours?"
  alternatives = ["when do you close", "are you open on sunday", "what time do you open"]
  answer       = "Weekdays 9:00-20:00, Saturday 9:00-17:00, Sunday 10:00-16:00; closed on New Year's Day."
}
