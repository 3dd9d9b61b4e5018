# Two slots of one entity type: a preposition says which one a city fills.
bot "trips" {
  languages = ["zh", "en"]
}

intent "book" {
  examples = ["我要订机票", "订一张机票", "book a flight", "I need a flight"]
}

entity "city" {
  values = {
    beijing   = ["北京", "Beijing"]
    shanghai  = ["上海", "Shanghai"]
    guangzhou = ["广州", "Guangzhou"]
  }
}

dialog "book" {
  trigger = [intent.book]

  slot "from_city" {
    type   = city
    prompt = { zh = "从哪里出发？", en = "Where from?" }
  }

  slot "to_city" {
    type   = city
    prompt = { zh = "到哪里？", en = "Where to?" }
  }

  outcome "done" {
    reply = "${slot.from_city} → ${slot.to_city}"
  }
}

intent "go" {
  examples = ["我要去一个地方", "带我去", "take me somewhere", "a trip"]
}

# The destination is asked first: the slots' names say which is which.
dialog "go" {
  trigger = [intent.go]

  slot "destination" {
    type   = city
    prompt = { zh = "去哪里？", en = "Where to?" }
  }

  slot "origin" {
    type   = city
    prompt = { zh = "从哪里出发？", en = "Where from?" }
  }

  outcome "done" {
    reply = "${slot.origin} → ${slot.destination}"
  }
}

intent "stay" {
  examples = ["book a room", "I need a hotel", "订酒店", "订个房间"]
}

# Two dates: neither name says which is which, so the order written does.
dialog "stay" {
  trigger = [intent.stay]

  slot "check_in" {
    type   = date
    prompt = { zh = "哪天入住？", en = "Check in when?" }
  }

  slot "check_out" {
    type   = date
    prompt = { zh = "哪天退房？", en = "Check out when?" }
  }

  outcome "done" {
    reply = "${slot.check_in} → ${slot.check_out}"
  }
}

intent "fly" {
  examples = ["我要坐飞机", "飞一趟", "fly somewhere", "a plane trip"]
}

# Two cities and a confirmation: a correction names the value it replaces.
dialog "fly" {
  trigger = [intent.fly]

  slot "from_city" {
    type   = city
    prompt = { zh = "从哪里出发？", en = "Where from?" }
  }

  slot "to_city" {
    type   = city
    prompt = { zh = "到哪里？", en = "Where to?" }
  }

  confirm {
    prompt = { zh = "${slot.from_city} → ${slot.to_city}？", en = "${slot.from_city} to ${slot.to_city}?" }
  }

  outcome "done" {
    reply = "ok"
  }
}
