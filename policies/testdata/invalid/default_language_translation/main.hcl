# A response without the default language's text: its Chinese customers, and
# those writing in a language the bot does not speak, get the English text.

bot "b" {
  languages = ["zh", "en"]
}

intent "hi" {
  examples = ["你好", "您好", "在吗", "hi", "hello", "good morning"]
}

response "hello" { # WARNING: Missing translation
  en = "Hello! How can I help?"
}

response "bye" {
  zh = "再见！"
  en = "Bye!"

  case { # WARNING: Missing translation
    when = conversation.channel == "sms"
    en   = "Bye"
  }
}

answer "hi" {
  intent = intent.hi
  reply  = [response.hello, response.bye]
}
