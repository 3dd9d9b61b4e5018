bot "b" {
  languages = ["en", "zh"]
}

intent "deliver" {
  examples = ["book a delivery", "deliver my sofa", "when can you deliver", "delivery slot", "预约送货"]
}

intent "emergency" {
  examples = ["water is pouring through the ceiling", "the pipe burst", "水管爆了"]
}

queue "general" {}

# A misspelt intent name: the policy never hands off.
handoff "emergency" {
  when  = intent.name == "emergancy" # WARNING: Never equal to this text
  queue = queue.general
}

handoff "emergency_by_word" {
  when  = intent.name == "Emergency" || intent.name == "deliver" && intent.name != "" # WARNING: Never equal to this text
  queue = queue.general
}

entity "product" {
  values = {
    sofa      = ["sofa", "couch", "沙发"]
    bed_frame = ["bed frame", "床架"]
  }
  labels = {
    bed_frame = { en = "Bed frame", zh = "床架" }
  }
}

dialog "deliver" {
  trigger = [intent.deliver]
  when    = conversation.dialog == "" || conversation.dialog == "delivery" # WARNING: Never equal to this text

  slot "product" {
    type   = product
    prompt = "Which item?"
  }

  # A day's name has a capital: "sunday" is never one, so every Sunday passes.
  slot "day" {
    type     = date
    prompt   = "Which day?"
    validate = weekday(slot.day) != "sunday" # WARNING: Never equal to this text
  }

  # The same in a list: contains() never finds "saturday".
  slot "weekday" {
    type     = date
    prompt   = "Which weekday?"
    validate = !contains(["Friday", "saturday", "Sun"], weekday(slot.weekday)) # WARNING: Never equal to this text
  }

  slot "stairs" {
    type   = yes_no
    prompt = "Are there stairs?"
  }

  outcome "stairs" {
    when  = slot.stairs == "Yes" # WARNING: Never equal to this text
    reply = "We'll bring two people."
  }

  # A synonym or a label, where the slot holds the canonical value.
  outcome "bed" {
    when  = slot.product == "bed frame" || slot.product == "Bed frame" # WARNING: Never equal to this text
    reply = "Bed."
  }

  outcome "couch" {
    when  = entity.product == "couch" # WARNING: Never equal to this text
    reply = "Couch."
  }

  # Right: canonical values, "yes", a day with its capital, and "".
  outcome "fine" {
    when  = slot.product == "sofa" && slot.stairs == "yes" && weekday(slot.day) == "Saturday" && slot.product != ""
    reply = "Fine."
  }

  outcome "other" {
    reply = "Other."
  }
}

# A misspelt reason or queue: the rule never takes the handoff.
rule "emergency_handoff" {
  on    = handoff
  when  = handoff.reason == "emergancy" || handoff.queue == "generl" # WARNING: Never equal to this text
  reply = "Someone will call you."
}

# Right: a policy's name, a dialog block's DIALOG.NAME, a queue's name.
rule "after_hours" {
  on    = handoff
  when  = handoff.reason == "emergency" || handoff.reason == "track.order_id" || handoff.queue == "general"
  reply = "We're closed."
}

intent "track" {
  examples = ["where is my order", "track my parcel", "我的快递到哪了"]
}

dialog "track" {
  trigger = [intent.track]

  slot "order_id" {
    type   = text
    prompt = "Which order?"

    on_exhausted {
      handoff = queue.general
    }
  }

  outcome "done" {
    reply = "On its way."
  }
}
