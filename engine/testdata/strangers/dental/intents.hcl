intent "book" {
  examples = [
    "我想预约",
    "预约洗牙",
    "帮我约个时间看牙",
    "想约一下[洗牙](treatment)",
    "能不能预约[明天](date)[下午三点](time)",
    "我要挂号",
    "约个[补牙](treatment)",
    "[下周六](date)能约[王医生](dentist)吗",
    "我想在[静安店](branch)约[洗牙](treatment)",
    "帮我约[明天](date)[上午10点](time)[徐汇](branch)[检查](treatment)",
    "想看牙医，约个号",
    "还有号吗",
    "预约一下",
    "想去看看牙齿",
    "book an appointment",
    "I want to book a [cleaning](treatment)",
    "can i make an appointment",
    "i'd like to see a dentist",
    "book me in with [dr wang](dentist) [next friday](date)",
    "need a [check up](treatment) [tomorrow](date) at [3pm](time)",
    "appt for [teeth cleaning](treatment) pls",
    "do you have any slots [this saturday](date)",
    "book a [filling](treatment) at [pudong](branch) [tomorrow](date) [10am](time)",
    "can I come in [tomorrow](date)",
    "schedule an appointment",
  ]
}

intent "reschedule" {
  examples = [
    "我想改约",
    "改个时间",
    "预约能改时间吗",
    "帮我把预约改到[后天](date)",
    "[DC100001](booking_ref)改到[下周一](date)",
    "换个时间",
    "改期",
    "我那天去不了了，能换一天吗",
    "预约往后推一推",
    "能不能改成[下午三点](time)",
    "预约能往后挪一天吗",
    "想把预约提前一点",
    "推迟到[下周](date_range)行不行",
    "reschedule my appointment",
    "can i change my appointment time",
    "move my booking to [friday](date)",
    "need to reschedule [DC100001](booking_ref)",
    "change appt to [next monday](date)",
    "can we push my appointment back",
    "I can't make it on [wednesday](date), can I pick another day",
    "switch my appointment to a different day",
  ]
}

intent "cancel" {
  examples = [
    "取消预约",
    "我要取消预约",
    "不去了，帮我取消",
    "把[DC100001](booking_ref)取消",
    "预约不要了",
    "退掉我的预约",
    "帮我取消[明天](date)的预约",
    "cancel my appointment",
    "i need to cancel my booking",
    "cancel [DC100001](booking_ref)",
    "please cancel my appt",
    "i won't be able to come, cancel it",
    "cancel the appointment [tomorrow](date)",
  ]
}

intent "cancel_fee" {
  examples = [
    "取消要收费吗",
    "取消预约扣钱吗",
    "临时取消有违约金吗",
    "取消费多少",
    "改约收费吗",
    "爽约怎么收费",
    "is there a cancellation fee",
    "do you charge for cancelling",
    "how much is the late cancellation fee",
    "will i be charged if i cancel",
    "what's your cancellation policy",
    "do i pay if i reschedule",
  ]
}

intent "waive_no_show" {
  examples = [
    "我上次没去，被扣了爽约费，能退吗",
    "爽约费能不能免",
    "那天有急事没去成，费用能免掉吗",
    "我错过了预约，能不能不收钱",
    "申请免除爽约费",
    "[DC100003](booking_ref)没去成，能免费吗",
    "i missed my appointment, can you waive the fee",
    "i was charged a no-show fee",
    "please waive the no show fee",
    "missed appt [DC100003](booking_ref) can the fee be removed",
    "i forgot my appointment, do i still have to pay",
    "can you refund the missed appointment charge",
  ]
}

intent "price" {
  examples = [
    "洗牙多少钱",
    "补牙什么价格",
    "种植牙多少钱一颗",
    "价格表有吗",
    "矫正大概要多少钱",
    "拔智齿贵不贵",
    "美白贵吗",
    "根管治疗要花多少",
    "收费标准",
    "how much is a cleaning",
    "what do you charge for a filling",
    "price list please",
    "how much are braces",
    "whitening cost?",
    "how much does an implant cost",
  ]
}

intent "insurance" {
  examples = [
    "能用医保吗",
    "可以刷医保卡吗",
    "你们接受商业保险吗",
    "平安保险能报销吗",
    "保险可以直付吗",
    "能开发票报销吗",
    "do you take insurance",
    "can i use my health insurance",
    "is cigna accepted",
    "do you do direct billing with insurance",
    "can I claim this on my insurance",
    "will my insurance cover a cleaning",
  ]
}

intent "emergency" {
  examples = [
    "牙疼死了",
    "牙痛得受不了",
    "脸肿了",
    "牙龈肿了很疼",
    "牙齿磕断了",
    "半边脸都肿起来了",
    "智齿发炎疼得睡不着",
    "出血止不住",
    "急诊",
    "牙掉了怎么办",
    "牙崩了一个角",
    "咬到硬东西牙裂开了",
    "孩子摔了一跤门牙撞松了",
    "toothache",
    "my tooth hurts so bad",
    "my face is swollen",
    "severe tooth pain",
    "i broke my tooth",
    "my gum is swollen and it hurts",
    "emergency",
    "bleeding won't stop after extraction",
  ]
}

intent "human" {
  examples = [
    "转人工",
    "人工客服",
    "找个真人",
    "我要跟人说话",
    "有人吗",
    "talk to a person",
    "agent please",
    "real person",
    "can i speak to someone",
    "human",
  ]
}

intent "greet" {
  examples = ["你好", "您好", "在吗", "hello", "hi", "hey there", "嗨", "早上好", "good morning"]
}

intent "thanks" {
  examples = ["谢谢", "多谢", "好的谢谢", "thanks", "thank you", "thx", "感谢"]
}

intent "goodbye" {
  examples = ["再见", "拜拜", "bye", "goodbye", "see you", "没事了", "that's all"]
}

intent "check_booking" {
  examples = [
    "我的预约是几点",
    "查一下我的预约",
    "我约的是哪天来着",
    "[DC100001](booking_ref)是什么时候",
    "帮我看看预约时间",
    "我预约了吗",
    "what time is my appointment",
    "when is my booking",
    "check my appointment [DC100001](booking_ref)",
    "can you remind me of my appt time",
    "did my booking go through",
  ]
}
