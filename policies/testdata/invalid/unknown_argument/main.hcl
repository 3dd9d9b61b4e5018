bot "b" {
  languages = ["en"]
}

intent "greet" {
  descripton = "Saying hello" # ERROR: Unsupported argument
  examples   = ["hi", "hello", "hey", "yo", "hiya"]
}

response "hello" {
  en = "Hello!"
}

# A misspelt required argument is one error, on its line: not also "intent"
# missing from the block.
answer "greet" {
  intents = [intent.greet] # ERROR: Unsupported argument
  reply   = response.hello
}

queue "general" {}

dialog "help" {
  trigger = [intent.greet]

  outcome "ticket" {
    ticket {
      queue   = queue.general
      subjet  = "Help" # ERROR: Unsupported argument
    }
    reply = "A colleague will write to you."
  }
}
