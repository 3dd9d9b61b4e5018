bot "b" {
  languages = ["en"]
}

intent "greet" {
  examples = ["hi", "hello", "hey", "yo", "hiya"]
}

response "greeting" {
  en = "Hello"
}

answer "greet" {
  intent = intent.greet
  reply  = response.greting # ERROR: Unknown response
}
