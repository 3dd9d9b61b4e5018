bot "b" {
  languages = ["en"]
}

intent "greet" {
  examples = ["hi", "hello", "hey", "yo", "hiya"]
}

answer "greet" {
  intent = intent.greet
  reply = {
    en = "Hello"
    zh = "你好" # ERROR: Language not spoken by the bot
  }
}

response "bye" {
  en = "Bye"
  fr = "Au revoir" # ERROR: Language not spoken by the bot
}
