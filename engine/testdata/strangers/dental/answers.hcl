answer "greet" {
  intent   = intent.greet
  reply    = response.greet
  resolves = false
}

answer "thanks" {
  intent   = intent.thanks
  reply    = response.thanks
  resolves = false
}

answer "goodbye" {
  intent = intent.goodbye
  reply  = response.goodbye
  end    = true
}

answer "cancel_fee" {
  intent = intent.cancel_fee
  reply  = response.cancel_fee_policy
}

answer "price" {
  intent = intent.price
  reply  = response.price
}

answer "insurance" {
  intent = intent.insurance
  reply  = response.insurance
}
