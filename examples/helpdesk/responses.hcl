# What the bot says: Rasa's domain.yml responses, in English and Chinese.

response "greet" {
  en = "Hallo! I'm your IT Helpdesk Assistant."
  zh = "您好！我是您的 IT 服务台助手。"
}

response "help" {
  en = "I can help you open a service request ticket, or check the status of your open incidents.\nYou can ask me things like:\n- Open an incident\n- Help me reset my password\n- I'm having a issue with my email\n- What's the status of the ticket I opened?"
  zh = "我可以帮您提交服务工单，或查询您已提交工单的状态。\n您可以这样说：\n- 我要报修\n- 帮我重置密码\n- 我的邮箱出问题了\n- 查一下我的工单"
}

response "goodbye" {
  en = "Goodbye!"
  zh = "再见！"
}

response "iamabot" {
  en = "I am a bot, powered by Parley."
  zh = "我是机器人，由 Parley 驱动。"
}

response "welcome" {
  en = "You're welcome!"
  zh = "不客气！"
}

response "default" {
  en = "I didn't quite understand that. Could you rephrase?"
  zh = "抱歉，我没太明白，能换个说法吗？"
}

response "out_of_scope" {
  en = "Sorry, I'm not sure how to respond to that. Type \"help\" for assistance."
  zh = "抱歉，这个我帮不上忙。输入“帮助”看看我能做什么。"
}

response "error" {
  en = "Sorry, something went wrong on our side. Please try again in a moment."
  zh = "抱歉，系统出了点问题，请稍后再试。"
}

response "ask_whatelse" {
  en = "What else can I help you with?"
  zh = "还有什么可以帮您？"
}

response "ask_email" {
  en = "What is your email address?"
  zh = "请问您的邮箱地址是？"
}

response "ask_use_previous_email" {
  en = "Would you like to use the last email address you used, ${memory.email}?"
  zh = "要继续使用您上次的邮箱 ${memory.email} 吗？"
}

response "no_email" {
  en = "Sorry, \"${slot.email}\" isn't in our incident management system. Please try again."
  zh = "抱歉，工单系统里没有“${slot.email}”这个邮箱，请再试一次。"
}

response "ask_priority" {
  en            = "What is the priority of this issue?"
  zh            = "这个问题的优先级是？"
  value_buttons = priority # low, medium, high, labelled in the customer's language
}

response "no_priority" {
  en = "Sorry \"${slot.priority}\" is not a valid priority. Please try again."
  zh = "抱歉，“${slot.priority}”不是有效的优先级，请再试一次。"
}

response "ask_problem_description" {
  en = "What is the problem description for the issue?"
  zh = "请描述一下遇到的问题。"
}

response "ask_incident_title" {
  en = "What should we use for the title of this incident?"
  zh = "这个工单用什么标题？"
}

response "ask_confirm" {
  en = "Should I open an incident with the following details?\n    email: ${slot.email}\n    problem description: ${slot.problem_description}\n    title: ${slot.incident_title}\n    priority: ${label("priority", slot.priority)}"
  zh = "要用以下信息提交工单吗？\n    邮箱：${slot.email}\n    问题描述：${slot.problem_description}\n    标题：${slot.incident_title}\n    优先级：${label("priority", slot.priority)}"

  button "yes" {
    en = "Yes"
    zh = "是的"
  }
  button "no" {
    en = "No, cancel the incident"
    zh = "不用了，取消"
  }
}

response "incident_creation_canceled" {
  en = "Alright, I have cancelled the incident."
  zh = "好的，工单已取消。"
}

response "incident_opened" {
  en = "Successfully opened up incident ${call.incident.number} for you. Someone will reach out soon."
  zh = "已为您提交工单 ${call.incident.number}，稍后会有同事联系您。"
}

response "incident_not_opened" {
  en = "Something went wrong while opening an incident for you: ServiceNow isn't answering. Please try again in a few minutes."
  zh = "提交工单时出了问题：ServiceNow 暂时无法访问，请过几分钟再试。"
}

response "incidents" {
  en = "%{ for i in call.incidents.incidents }Incident ${i.number}: \"${i.short_description}\", opened on ${i.opened_at} ${label("incident_state", i.incident_state)}\n%{ endfor }"
  zh = "%{ for i in call.incidents.incidents }工单 ${i.number}：“${i.short_description}”，${i.opened_at} 提交，${label("incident_state", i.incident_state)}\n%{ endfor }"
}

response "no_incidents" {
  en = "No incidents on record for ${slot.email}."
  zh = "${slot.email} 名下没有工单记录。"
}

response "status_unavailable" {
  en = "I can't reach ServiceNow right now, so I can't look up your incidents. Please try again in a few minutes."
  zh = "暂时无法访问 ServiceNow，查不到您的工单，请过几分钟再试。"
}

response "ask_handoff" {
  en = "It looks like you want to be transferred to a human agent. Shall I transfer you?"
  zh = "您似乎想转接人工客服，要为您转接吗？"

  button "yes" {
    en = "Yes, transfer me"
    zh = "是的，转人工"
  }
  button "no" {
    en = "No"
    zh = "不用了"
  }
}

response "handoff" {
  en = "Alright, I'll transfer you to a colleague. Please hold on."
  zh = "好的，正在为您转接同事，请稍候。"
}

response "no_agents" {
  en = "Nobody from the IT team is online right now, so I can't transfer you. I can open an incident, and someone will reach out as soon as they're back."
  zh = "IT 团队现在没有人在线，暂时无法转接。我可以帮您提交工单，同事回来后会尽快联系您。"
}

# Answers that need no dialog.
answer "greet" {
  intent = intent.greet
  reply  = [response.greet, response.help]
}

answer "help" {
  intent = intent.help
  reply  = response.help
}

answer "thank" {
  intent = intent.thank
  reply  = response.welcome
}

answer "bot_challenge" {
  intent = intent.bot_challenge
  reply  = response.iamabot
}

answer "out_of_scope" {
  intent = intent.out_of_scope
  reply  = response.out_of_scope
}

answer "goodbye" {
  intent = intent.goodbye
  reply  = response.goodbye
}
