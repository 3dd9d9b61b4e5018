# Paraphrases not in the training data. Each names its intent with a word of
# that intent's examples, and most also use the big intent's words ("my order",
# "package"): the rare intents must not be pulled into it.

test "cancel order is recognised" {
  turn {
    user   = "please cancel my order"
    intent = intent.cancel_order
  }
  turn {
    user   = "cancel my package before it ships"
    intent = intent.cancel_order
  }
  turn {
    user   = "I changed my mind about my order, cancel it"
    intent = intent.cancel_order
  }
  turn {
    user   = "cancel order AB654321"
    intent = intent.cancel_order
  }
}

test "change address is recognised" {
  turn {
    user   = "can I change the address"
    intent = intent.change_address
  }
  turn {
    user   = "my order should go to a different address"
    intent = intent.change_address
  }
  turn {
    user   = "update the address for my package"
    intent = intent.change_address
  }
  turn {
    user   = "the address on my order is wrong"
    intent = intent.change_address
  }
}

test "invoice is recognised" {
  turn {
    user   = "send me an invoice please"
    intent = intent.invoice
  }
  turn {
    user   = "I need a receipt for my order"
    intent = intent.invoice
  }
  turn {
    user   = "I need an invoice for order AB123456"
    intent = intent.invoice
  }
  turn {
    user   = "can you email the invoice for my package"
    intent = intent.invoice
  }
}

test "human is recognised" {
  turn {
    user   = "let me talk to a person"
    intent = intent.human
  }
  turn {
    user   = "I want to speak to an agent"
    intent = intent.human
  }
  turn {
    user   = "let me talk to a real person about my package"
    intent = intent.human
  }
  turn {
    user   = "connect me to a human about my order"
    intent = intent.human
  }
}

test "complaint is recognised" {
  turn {
    user   = "terrible service, I want to complain"
    intent = intent.complaint
  }
  turn {
    user   = "this is unacceptable, my order is a mess"
    intent = intent.complaint
  }
  turn {
    user   = "I want to file a complaint about the delivery"
    intent = intent.complaint
  }
}

test "track order is recognised" {
  turn {
    user   = "where's my order?"
    intent = intent.track_order
  }
  turn {
    user   = "has my parcel shipped"
    intent = intent.track_order
  }
  turn {
    user   = "when will my package get here"
    intent = intent.track_order
  }
}
