# Conversation tests: `parley test examples/shop` runs them on the mocks of
# mocks.hcl; `parley test -live examples/shop` against the order system in
# backend/ (make test does both; see its seed.go for the orders).
# A test sets the scene (customer, clock), then plays turns.
# A turn's expectations are all optional; each one that is given must hold.
# Each test that refunds uses its own order, so the live run can share one backend.

test "refund of 499 is approved automatically" {
  now = "2026-11-23T10:00:00+08:00" # a Monday morning in Shanghai

  turn {
    user     = "I want a refund for order PQ000499"
    intent   = intent.refund
    response = response.ask_refund_reason
    slots    = { order_id = "PQ000499" }
    calls    = [connector.orders.get_order]
    dialog   = dialog.refund
  }

  turn {
    user       = "I changed my mind"
    slots      = { reason = "changed_mind" }
    response   = response.confirm_refund
    reply_glob = "*PQ000499 (¥499.00)*"
  }

  turn {
    user        = "yes"
    calls       = [connector.orders.refund]
    response    = response.refund_approved
    reply_regex = "reference RF-[0-9]+"
    dialog      = "none"
  }
}

test "refund of 500 goes to review" {
  now = "2026-11-23T10:00:00+08:00"

  turn {
    user     = "refund GH500000, it's the wrong item"
    slots    = { order_id = "GH500000", reason = "wrong_item" }
    response = response.confirm_refund
  }

  turn {
    user     = "yes please"
    calls    = []
    ticket   = queue.refund_review
    response = response.refund_under_review
  }
}

test "refund of 5000 goes to review" {
  now = "2026-11-23T10:00:00+08:00"

  turn {
    user = "refund JK500000, it's the wrong item"
  }

  turn {
    user     = "yes"
    ticket   = queue.refund_review
    response = response.refund_under_review
  }
}

test "refund of 5001 waits for a supervisor's approval" {
  now = "2026-11-23T10:00:00+08:00"

  turn {
    user = "refund RS005001, it's the wrong item"
  }

  turn {
    user     = "yes"
    calls    = [] # nothing is refunded before someone approves
    approval = queue.supervisors
    response = response.refund_needs_supervisor
  }

  turn {
    user     = "hello?"
    response = response.greet # not handed off: the bot carries on meanwhile
  }

  turn {
    decision    = "approved" # a supervisor approves in the console
    calls       = [connector.orders.refund]
    response    = response.refund_approved
    reply_regex = "RS005001.*reference RF-[0-9]+"
  }
}

test "a supervisor declines a large refund" {
  now = "2026-11-23T10:00:00+08:00"

  turn {
    user = "refund EF111111, wrong item"
  }

  turn {
    user     = "yes"
    approval = queue.supervisors
  }

  turn {
    decision = "rejected"
    calls    = []
    response = response.refund_declined
  }
}

test "a large refund nobody approves in time becomes a ticket" {
  now = "2026-11-22T21:00:00+08:00" # a Sunday evening: approvals don't wait for business hours

  turn {
    user = "refund EF111111, wrong item"
  }

  turn {
    user     = "yes"
    approval = queue.supervisors
    response = response.refund_needs_supervisor
  }

  turn {
    decision = "expired"
    calls    = []
    ticket   = queue.refund_review
    response = response.refund_approval_expired
  }
}

test "a correction while the damage is described corrects the order and asks again" {
  now = "2026-11-23T10:00:00+08:00"

  turn {
    user     = "my headphones arrived broken, I want a refund"
    response = response.ask_order_id
  }

  turn {
    user       = "AB123456"
    reply_glob = "*describe the damage*"
  }

  turn {
    user       = "no, I meant CD654321"
    slots      = { order_id = "CD654321", reason = "damaged" }
    reply_glob = "*describe the damage*"
  }

  turn {
    user     = "the screen is cracked"
    slots    = { order_id = "CD654321", damage = "the screen is cracked" }
    response = response.confirm_refund
  }
}

test "damaged item asks for details" {
  now = "2026-11-23T10:00:00+08:00"

  turn {
    user     = "my headphones arrived broken, I want a refund"
    slots    = { reason = "damaged", product = "headphones" }
    response = response.ask_order_id
  }

  turn {
    user       = "AB123456"
    reply_glob = "*describe the damage*"
  }

  turn {
    user     = "the left earbud is cracked"
    slots    = { damage = "the left earbud is cracked" }
    response = response.confirm_refund
  }

  turn {
    user     = "no"
    response = response.refund_kept
    dialog   = "none"
  }
}

test "the reason for a refund, in the customer's words" {
  for_each = {
    "wrong product"  = { user = "they sent me the wrong product", reason = "wrong_item" }
    "not ordered"    = { user = "this is not what I ordered", reason = "wrong_item" }
    "broken"         = { user = "it arrived broken", reason = "damaged" }
    "changed mind"   = { user = "honestly I just changed my mind", reason = "changed_mind" }
    "no longer need" = { user = "I no longer need it", reason = "changed_mind" }
    "never came"     = { user = "it never arrived", reason = "late" }
    "zh wrong"       = { user = "你们发错货了", reason = "wrong_item" }
    "zh broken"      = { user = "收到的时候已经坏了", reason = "damaged" }
    "zh not wanted"  = { user = "不要了", reason = "changed_mind" }
    "zh not arrived" = { user = "等了两周还没收到", reason = "late" }
  }

  turn {
    user     = "I want a refund for order AB123456"
    response = response.ask_refund_reason
  }

  turn {
    user     = each.value.user
    entities = { refund_reason = each.value.reason }
    slots    = { reason = each.value.reason }
    dialog   = dialog.refund
  }
}

test "the product is noted when the customer names it" {
  turn {
    user     = "my new laptop arrived damaged and I want my money back"
    intent   = intent.refund
    entities = { product = "laptop", refund_reason = "damaged" }
    slots    = { product = "laptop", reason = "damaged" }
    response = response.ask_order_id
  }
}

# A product name in Latin letters ("iPad", "MacBook") says nothing of the
# customer's language: the conversation stays in Chinese.
test "中文：退款时说产品的英文名，仍用中文回复" {
  survey = false

  turn {
    user     = "我要退款，订单PQ000499"
    response = response.ask_refund_reason
  }

  turn {
    user     = "iPad"
    slots    = { product = "tablet" }
    response = response.ask_refund_reason
    reply    = ["请问退款原因是：商品损坏、发错货、太慢没收到，还是不想要了？"]
  }

  turn {
    user  = "MacBook 坏了"
    slots = { product = "laptop", reason = "damaged" }
    reply = ["很抱歉商品有损坏。能简单描述一下损坏情况吗？"]
  }
}
