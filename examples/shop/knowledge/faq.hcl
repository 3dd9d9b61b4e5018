# Account and contact questions, in English and Chinese.
# alternatives are other ways customers ask the same thing: they are searched
# together with the question.

faq "hours_en" {
  question     = "When is customer service open?"
  alternatives = ["What are your opening hours?", "Are you open on weekends?"]
  answer       = "Our team is available 9:00-18:00 on weekdays and 10:00-16:00 on Saturdays, Beijing time. We are closed on Sundays and public holidays. This chat assistant answers at any time, and outside these hours it can take a message so we call you back."
}

faq "hours_zh" {
  question     = "客服工作时间是什么时候？"
  alternatives = ["你们几点上班？", "周末有人工客服吗？"]
  answer       = "人工客服工作时间为工作日 9:00-18:00、周六 10:00-16:00（北京时间），周日和法定节假日休息。在线助手全天可用，非工作时间可以帮您留言，我们会回电。"
}

faq "contact_en" {
  question     = "How can I contact you?"
  alternatives = ["What is your phone number?", "Do you have an email address?"]
  answer       = "You can chat with us here, call 400-820-1234 (free within mainland China) during opening hours, or email service@parley-shop.cn. We answer emails within one working day."
}

faq "contact_zh" {
  question     = "怎么联系客服？"
  alternatives = ["客服电话是多少？", "有客服邮箱吗？"]
  answer       = "您可以在这里在线咨询，工作时间拨打客服热线 400-820-1234（大陆地区免费），或发送邮件至 service@parley-shop.cn，我们会在一个工作日内回复邮件。"
}

faq "password_en" {
  question     = "I forgot my password. How do I reset it?"
  alternatives = ["I can't log in to my account"]
  answer       = "On the login page tap \"Forgot password\" and enter the phone number or email of your account. We send a 6-digit code, valid for 10 minutes, to set a new password. You can also log in with a one-time SMS code or with WeChat. After 5 wrong passwords the account is locked for 30 minutes."
}

faq "password_zh" {
  question     = "忘记密码怎么办？"
  alternatives = ["登录不了账号"]
  answer       = "在登录页点击“忘记密码”，输入账号绑定的手机号或邮箱，我们会发送 6 位验证码（10 分钟内有效）用于设置新密码。您也可以用短信验证码或微信直接登录。连续输错 5 次密码，账号会锁定 30 分钟。"
}

faq "account_close_en" {
  question     = "How do I close my account?"
  alternatives = ["Cancel my membership"]
  answer       = "Go to Account > Settings > Close account. You can close it once all orders are completed and no return or warranty request is open. Closing is final: your coupons and points are lost, and personal data is then deleted as described in our privacy policy."
}

faq "account_close_zh" {
  question     = "怎么注销账号？"
  alternatives = ["我不想用这个账户了"]
  answer       = "进入“账户 > 设置 > 注销账号”。所有订单完成、且没有进行中的退货或售后申请时才能注销。注销后无法恢复，优惠券和积分会作废，个人信息将按隐私政策删除。"
}

faq "account_phone_en" {
  question = "How do I change the phone number or email on my account?"
  answer   = "Go to Account > Security. To change the phone number we send a code to the old number first; if you no longer have it, choose \"Old number unavailable\" and verify with your ID name and a recent order number. Email changes are confirmed by a link sent to the new address."
}

faq "account_phone_zh" {
  question = "怎么更换账号绑定的手机号或邮箱？"
  answer   = "进入“账户 > 账号安全”。更换手机号需要先向原手机号发送验证码；原号码已停用的，选择“原手机号不可用”，通过实名信息和近期订单号验证。更换邮箱需点击发送到新邮箱的确认链接。"
}

faq "store_en" {
  question     = "Do you have a physical store?"
  alternatives = ["Can I pick up my order in person?"]
  answer       = "We are an online shop only, with warehouses in Shanghai, Guangzhou and Chengdu that are not open to visitors. Orders can't be picked up in person, but you can have them delivered to an SF Express point or a Fengchao (丰巢) parcel locker and collect them there."
}

faq "store_zh" {
  question     = "你们有实体店吗？"
  alternatives = ["可以到店自提吗？"]
  answer       = "我们只在网上销售，上海、广州和成都的仓库不对外开放，不支持到店自提。您可以选择送到顺丰网点或丰巢快递柜，再自行取件。"
}
