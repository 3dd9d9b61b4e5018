faq "hours_en" {
  question     = "When can I talk to your team?"
  alternatives = ["What are your opening hours?", "Are you open on Sundays?"]
  answer       = "Our team is available 08:00-20:00 Monday to Friday and 09:00-17:00 on Saturday, Beijing time. For a gas emergency call 95158 at any time."
}

faq "hours_zh" {
  question     = "客服几点上班？"
  alternatives = ["你们的营业时间是什么时候？", "周日有人吗？"]
  answer       = "人工客服时间为周一至周五 8:00-20:00、周六 9:00-17:00（北京时间）。燃气紧急情况请随时拨打 95158。"
}
