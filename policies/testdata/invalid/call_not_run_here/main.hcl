# A call's result exists only where the dialog engine has it: a dialog's own
# calls in the whole dialog; a call of a rule, outcome or handler in that
# block after the call. Elsewhere a message or an input reading it would fail
# and the customer would get the error reply: warnings, since such bots
# validated before the check was exact.

bot "b" {
  languages = ["en"]
}

intent "refund" {
  examples = ["refund", "I want a refund", "money back", "refund please", "give me my money back"]
}

connector "orders" {
  type = "plain"

  operation "refund" {
    input  = { order_id = string }
    output = { refund_id = string }
  }
}

queue "supervisors" {}

response "refund_done" {
  en = "Refunded: ${call.refund_order.refund_id}."
}

dialog "refund" {
  trigger = [intent.refund]

  slot "order_id" {
    type   = text
    prompt = "Order?"
  }

  slot "amount" {
    type   = money
    prompt = "How much?"
  }

  confirm {
    prompt = response.refund_done # WARNING: Response reads a call that is not here
  }

  outcome "done" {
    reply = "Refund ${call.refund_order.refund_id}" # WARNING: Call not available here
  }
}

rule "auto_refund" {
  on     = dialog.refund
  when   = slot.amount < 500 && call.refund_order.refund_id != "" # WARNING: Condition reads a call that has not run
  amount = length(call.refund_order.refund_id)                    # WARNING: Amount reads a call that has not run

  call "refund_order" {
    operation = connector.orders.refund
    input     = { order_id = call.note.refund_id } # WARNING: Call has not run yet
  }
  call "note" {
    operation = connector.orders.refund
    input     = { order_id = slot.order_id }
  }
  reply = response.refund_done
}

rule "supervisor" {
  on   = dialog.refund
  when = slot.amount >= 500

  call "big_refund" {
    operation = connector.orders.refund
    input     = { order_id = slot.order_id }

    approval {
      queue  = queue.supervisors
      reason = "Refund of ${slot.amount}"
      on_approve {
        reply = "Refunded: ${call.big_refund.refund_id}."
      }
      on_reject {
        reply = "Declined: ${call.big_refund.refund_id}." # WARNING: Call has not run yet
      }
    }
  }
  # Said while a supervisor decides: the refund has not run.
  reply = "Asked a supervisor about ${call.big_refund.refund_id}." # WARNING: Call has not run yet
}
