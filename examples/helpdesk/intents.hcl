# Intents: Rasa's helpdesk-assistant's NLU data (data/nlu.yml), with Chinese
# phrasings added. Rasa's affirm, deny and inform need no intent here: yes and
# no are understood by the built-in yes_no type, and values fill the slots
# asked for whatever the intent.

intent "greet" {
  examples = [
    "hey", "hello", "hi", "good morning", "good evening", "hey there", "hi there", "hello there", "greetings",
    "你好", "您好", "嗨", "早上好", "在吗",
  ]
}

intent "goodbye" {
  examples = [
    "bye", "goodbye", "see you around", "see you later", "see ya", "buh bye",
    "再见", "拜拜", "回头见",
  ]
}

intent "thank" {
  examples = [
    "thanks!", "thank you", "thanks a lot", "great thanks", "appreciate it", "cool thanks", "Awesome, thanks!",
    "谢谢", "多谢", "太感谢了", "谢谢你的帮助",
  ]
}

intent "bot_challenge" {
  examples = [
    "are you a bot?", "are you a human?", "am I talking to a bot?", "am I talking to a human?", "you are a bot right", "aren't you a bot",
    "你是机器人吗", "我在和机器人说话吗", "你是真人吗", "你是不是机器人",
  ]
}

intent "password_reset" {
  examples = [
    "need to reset my password", "need help resetting my password", "I can't reset my password", "need help with my password",
    "having issues resetting my password", "freaking password won't work", "reset my password", "password reset",
    "forgot my password and can't reset it", "I'm having issues with my password",
    "我要重置密码", "密码忘了", "密码重置不了", "我的密码不能用了", "帮我重置一下密码",
  ]
}

intent "open_incident" {
  examples = [
    "I need to open an incident", "Can you open a case for me", "I have an issue I need to open a incident for", "open incident",
    "can you help me open a incident please", "I want to open a new incident", "I want to open a incident", "I'm having a weird issue.",
    "I'm having a problem", "I have a issue I need to open a case for.", "open an incident for [aileen.mottern@example.com](email)",
    "open an [urgent](priority) issue", "I want to open an incident, but it's [low](priority) priority",
    "I need to open a helpdesk ticket. it's [really important](priority)",
    "我要报修", "帮我开个工单", "我想提交一个故障单", "我遇到了一个问题，需要报修", "开一个[紧急](priority)工单", "电脑出问题了，帮我建个工单",
  ]
}

intent "problem_email" {
  examples = [
    "my outlook application won't open", "I'm having issues with outlook.", "issues with outlook", "outlook application will not open",
    "there's a problem with my email", "something is broken with outlook", "I can't log in to my email", "can't log in to outlook",
    "my email won't let me log in", "i have a problem with my email",
    "我的邮箱登录不了", "Outlook 打不开", "邮箱出问题了", "收不到邮件", "邮件发不出去",
  ]
}

intent "help" {
  examples = [
    "I need help", "what can you help me with", "can you help me", "what can you do", "I need some help", "help me", "can you please help me", "help",
    "你能做什么", "我需要帮助", "帮帮我", "你能帮我什么", "怎么用",
  ]
}

intent "incident_status" {
  examples = [
    "I want to check if my ticket has been closed", "what's the status of my incident?", "Has the incident been closed yet?",
    "Is my ticket in progress?", "What has happened with my open ticket?", "what's going on with the incident I opened?",
    "Do I have any open incidents at the moment?", "Can I check the status of my open tickets?", "Can I see the status of the ticket I opened?",
    "Check ticket status", "check incident status", "Can you check the status of my incident",
    "ok, try looking it up for [abraham.lincoln@example.com](email)", "look up ticket status for [abel.tuter@example.com](email)",
    "查一下我的工单", "我的工单处理得怎么样了", "工单关了吗", "帮我查工单状态", "我提交的故障单有进展吗",
  ]
}

intent "out_of_scope" {
  examples = [
    "what is the square root of 5", "I want to know the weather", "what is the meaning of life.", "Fridge Isn't Running",
    "my tv isn't working", "I want a pizza", "my washing machine isn't working", "what year is it", "order a pizza",
    "I want to order a pizza", "what is the weather today", "what is the weather", "Can you get me a pizza",
    "今天天气怎么样", "帮我订个披萨", "冰箱坏了", "讲个笑话", "今年是哪一年",
  ]
}

intent "human_handoff" {
  examples = [
    "I want a human", "can I speak to an agent", "real agent please", "real human", "chat with a live agent",
    "give me a person please", "i want to talk to a human", "I want to talk to a person now", "give me a human",
    "转人工", "我要找人工客服", "让真人来跟我说", "人工服务", "找个工程师跟我聊",
  ]
}
