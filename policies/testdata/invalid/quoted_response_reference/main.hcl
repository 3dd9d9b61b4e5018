bot "b" {
  languages = ["en", "zh"]

  replies {
    not_understood = "response.sorry" # WARNING: Response reference in quotes
  }
}

intent "hello" {
  examples = ["hello", "hi", "good morning", "hi there", "hey"]
}

response "hi" {
  en = "Hello!"
  zh = "您好！"
}

response "sorry" {
  en = "Sorry?"
  zh = "抱歉？"
}

# A response named in quotes is text the customer would read word for word.
answer "hello" {
  intent = intent.hello
  reply  = "response.hi" # WARNING: Response reference in quotes
}

dialog "d" {
  trigger = [intent.hello]
  when    = customer.vip

  slot "name" {
    type   = text
    prompt = { en = "response.hi", zh = "您叫什么名字？" } # WARNING: Response reference in quotes
  }

  outcome "o" {
    # Text that only mentions a response's name is left alone.
    reply = "See response.hi in the docs, ${slot.name}."
  }
}
