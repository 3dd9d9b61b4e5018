connector "kitchen" {
  type        = "fixture"
  description = "Fake kitchen"
  timeout     = "2s"
  data        = { open = true }

  operation "place" {
    input   = ["dish", "count"]
    respond = { id = "K-1", eta = 30 }
  }
}

connector "crm" {
  type     = "http"
  base_url = "https://crm.example.com"

  operation "note" {
    input  = ["text"]
    method = "POST"
    path   = "/notes"
  }

  operation "find_customer" {
    input  = { email = optional(string), phone = optional(string) }
    output = { name = string, vip = bool, tier = string, since = string }
    method = "GET"
    path   = "/customers"
    query  = { email = "{email}", phone = "{phone}" }
  }
}

queue "general" {}

queue "kitchen" {
  skill    = "cooking"
  priority = "urgent"
}

dialog "order" {
  description = "Take an order"
  trigger     = [intent.order]
  when        = business_hours.open || customer.vip

  slot "dish" {
    type   = dish
    prompt = { en = "What would you like?", zh = "您想吃什么？", zh-TW = "您想吃什麼？" }
  }

  slot "count" {
    type     = number
    prompt   = "How many?"
    validate = slot.count > 0 && slot.count <= var.limit
    invalid  = ["Between 1 and ${var.limit}, please.", "That number won't work."]
    retries  = 0

    on_exhausted {
      reply   = response.sorry
      handoff = queue.general
    }
  }

  slot "coupon" {
    type     = coupon
    optional = true
  }

  slot "note" {
    type          = text
    required_when = slot.count > 10
    prompt        = "Anything we should know about such a big order?"
  }

  call "place" {
    operation = connector.kitchen.place
    input     = { dish = slot.dish, count = slot.count }

    on_error {
      reply = "The kitchen is busy: ${call.place.error}"
      reask = slot.count
    }
  }

  confirm {
    when   = slot.count > 1
    prompt = response.confirm
    on_no {
      reply = "OK, cancelled."
      end   = true
    }
  }

  outcome "big" {
    when = slot.count > 10
    ticket {
      queue    = queue.kitchen
      subject  = "Big order: ${slot.count} x ${slot.dish} (${entity.coupon})"
      priority = customer.vip ? "urgent" : "high"
    }
    call "log" {
      operation = connector.crm.note
      input     = { text = "order ${call.place.id}" }
    }
    reply = "Order ${call.place.id} placed; ticket ${ticket.id}."
  }

  outcome "normal" {
    reply = response.placed
  }
}

dialog "feedback" {
  slot "text" {
    type   = text
    prompt = "Tell us more."
  }

  outcome "thanks" {
    reply = "Thank you!"
  }
}

rule "feedback_after_big_orders" {
  on    = dialog.order
  when  = slot.count > 50 && call.place.eta > 20
  start = dialog.feedback
}

rule "shouting" {
  description = "Calm people down"
  on          = message
  when        = upper(message) == message && length(message) > 10
  reply       = "No need to shout."
}

rule "closed" {
  on    = handoff
  when  = !business_hours.open
  reply = "We're closed, but we'll get back to you."
  end   = true
}

handoff "human" {
  description = "Someone asked for a person"
  when        = intent.name == "human" && intent.confidence > 0.5
  queue       = queue.general
  priority    = "low"
  reply       = { en = "Connecting you.", zh = "正在转接。", zh-TW = "正在轉接。" }
  share       = ["transcript"]
  summary     = "Customer ${customer.name} in ${conversation.language}, ${conversation.turns} turns, sentiment ${sentiment} at ${now}"
}

answer "hours" {
  intent = intent.hours
  reply  = "We're open on weekdays."
  end    = false
}
