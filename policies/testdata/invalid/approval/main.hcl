bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["I want a refund", "refund my order", "give me my money back", "refund please", "money back"]
}

connector "shop" {
  type = "plain"

  operation "refund" {
    input  = { order_id = string }
    output = { refund_id = string }
  }
}

queue "supervisors" {}

dialog "refund" {
  trigger = [intent.refund]

  slot "order_id" {
    type   = text
    prompt = "Which order?"
  }
}

rule "missing" {
  on = dialog.refund

  call "refund" {
    operation = connector.shop.refund
    input     = { order_id = slot.order_id }

    approval { # ERROR: Missing required argument
      reason = "Big"
    }
  }
}

rule "typos" {
  on = dialog.refund

  call "refund" {
    operation = connector.shop.refund
    input     = { order_id = slot.order_id }

    approval {                            # WARNING: Approval without a reply
      queue      = queue.supervisor       # ERROR: Unknown queue
      role       = "boss"                 # ERROR: Invalid role
      reason     = "Refund ${slot.order}" # ERROR: Unknown slot
      expires_in = "1 day"                # ERROR: Invalid duration

      on_approve {
        reply = "Done: ${call.refund.refund_id}"
      }
      on_rject { # ERROR: Unsupported block type
        reply = "No"
      }
    }
  }
}

rule "silent" {
  on = dialog.refund

  call "refund" {
    operation = connector.shop.refund
    input     = { order_id = slot.order_id }

    approval { # WARNING: Approval without a reply
      queue  = queue.supervisors
      reason = "Refund"
      on_reject {
        reply = "No"
      }
    }
  }
}

test "decisions" {
  turn {
    decision = "approve" # ERROR: Invalid decision
  }

  turn {
    user     = "refund X"
    decision = "approved" # ERROR: Conflicting turn
  }

  turn { # ERROR: Missing required argument
    approval = queue.supervisors
  }
}

test "decisions from a table" {
  for_each = ["approved", "declined"]

  turn {
    decision = each.key # ERROR: Invalid decision
  }
}
