bot "b" {
  languages = ["en"]
}

response "ok" {
  en = "OK"
}

answer "greet" {
  intent = intent.gret # ERROR: Unknown intent
  reply  = response.ok
}

intent "greet" {
  examples = ["hi", "hello", "hey", "yo", "hiya"]
}
