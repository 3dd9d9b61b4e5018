# A case that holds replaces the response's texts in every language: a case
# without the bot's zh text gives Chinese customers its English one.

bot "b" {
  languages = ["en", "zh"]
}

intent "hi" {
  examples = ["hi", "hello", "hey", "good morning", "你好"]
}

response "hello" {
  en = "Hello! How can I help?"
  zh = "您好！请问有什么可以帮您？"

  case { # WARNING: Missing translation
    when = conversation.channel == "sms"
    en   = "Hi! How can I help?"
  }

  case {
    when = conversation.channel == "web"
    en   = "Hello from the web!"
    zh   = "网页版您好！"
  }
}

# A case with every language of the bot is complete.
response "bye" {
  en = "Bye!"
  zh = "再见！"

  case {
    when = conversation.channel == "sms"
    en   = "Bye"
    zh   = "再见"
  }
}

answer "hi" {
  intent = intent.hi
  reply  = [response.hello, response.bye]
}
