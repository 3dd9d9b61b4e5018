test "greeting" {
  turn {
    user     = "hi"
    response = response.greet
  }
}

test "greeting zh" {
  turn {
    user     = "在吗"
    response = response.greet
  }
}

test "data balance faq" {
  turn {
    user     = "how do I check my remaining data?"
    response = response.check_data
  }
}

test "data balance faq zh" {
  turn {
    user     = "我还剩多少流量"
    response = response.check_data
  }
}

test "apn faq" {
  turn {
    user      = "apn settings?"
    knowledge = "faq.hcl#apn_en"
  }
}

test "goodbye" {
  turn {
    user     = "thanks bye"
    response = response.goodbye
  }
}

test "gibberish" {
  turn {
    user     = "purple monkey dishwasher"
    intent   = "none"
    response = response.not_understood
  }
}
