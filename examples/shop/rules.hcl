# Business rules. Analysts change these without touching the dialogs.
# Rules with the same "on" are checked top to bottom; the first whose "when"
# holds applies. parley validate warns when the refund ranges leave a gap.

rule "refund_auto_approve" {
  description = "Small refunds are approved at once"
  on          = dialog.refund
  when        = call.order.total < var.auto_refund_limit
  amount      = call.order.total # reports add up the refunds approved

  call "refund" {
    operation       = connector.orders.refund
    input           = { order_id = slot.order_id, amount = call.order.total, reason = slot.reason }
    idempotency_key = "refund-${slot.order_id}" # one order, one refund: asking twice, or a retry, refunds once

    on_rejected { # the order system said no: already refunded
      reply = response.refund_rejected
    }
    # Down or too slow even after the retries: the refund may or may not have
    # gone through, so a person checks and finishes it (the key makes sure it is
    # never paid twice).
    on_error {
      codes = ["unavailable", "timeout"]
      ticket {
        queue    = queue.refund_review
        subject  = "Refund not confirmed by the order system: ${slot.order_id} (${money(call.order.total, var.currency)}), reason: ${slot.reason}"
        priority = "high"
      }
      reply = response.refund_not_confirmed
    }
  }
  reply = response.refund_approved
}

rule "refund_review" {
  description = "Mid-sized refunds become a ticket for the refunds team"
  on          = dialog.refund
  when        = call.order.total >= var.auto_refund_limit && call.order.total <= var.supervisor_limit
  amount      = call.order.total

  ticket {
    queue    = queue.refund_review
    subject  = "Refund review: ${slot.order_id} (${money(call.order.total, var.currency)}), reason: ${slot.reason}"
    priority = "normal"
  }
  reply = response.refund_under_review
}

rule "refund_supervisor" {
  description = "Large refunds wait for a supervisor's approval; the refund runs once someone approves it"
  on          = dialog.refund
  when        = call.order.total > var.supervisor_limit

  call "refund" {
    operation       = connector.orders.refund
    input           = { order_id = slot.order_id, amount = call.order.total, reason = slot.reason }
    idempotency_key = "refund-${slot.order_id}"

    approval {
      queue      = queue.supervisors # supervisors with the queue's skill decide, in the console or the API
      role       = "supervisor"
      reason     = "Refund of ${money(call.order.total, var.currency)} for order ${slot.order_id} (${slot.reason}) is over the ${money(var.supervisor_limit, var.currency)} limit"
      expires_in = "48h"

      on_approve {
        reply = response.refund_approved
      }
      on_reject {
        reply = response.refund_declined
      }
      on_expire {
        ticket {
          queue       = queue.refund_review
          subject     = "Refund approval expired: ${slot.order_id} (${money(call.order.total, var.currency)})"
          description = "Nobody decided within 48 hours. Reason given: ${slot.reason}."
          priority    = "high"
        }
        reply = response.refund_approval_expired
      }
    }

    on_rejected {
      reply = response.refund_rejected
    }
    on_unavailable {
      ticket {
        queue    = queue.refund_review
        subject  = "Approved refund not confirmed by the order system: ${slot.order_id} (${money(call.order.total, var.currency)})"
        priority = "urgent"
      }
      reply = response.refund_not_confirmed
    }
    on_timeout {
      ticket {
        queue    = queue.refund_review
        subject  = "Approved refund not confirmed by the order system: ${slot.order_id} (${money(call.order.total, var.currency)})"
        priority = "urgent"
      }
      reply = response.refund_not_confirmed
    }
  }
  reply = response.refund_needs_supervisor
}

# Outside business hours a chat still goes to a person when one is online in
# the queue it is for (handoff.agents_online); otherwise the bot takes a message.
rule "after_hours_upset" {
  description = "An upset customer after hours gets an apology, and a message for a senior colleague"
  on          = handoff
  when        = !business_hours.open && handoff.agents_online == 0 && sentiment <= -0.6
  reply       = response.after_hours_sorry
  start       = dialog.leave_message
}

rule "after_hours" {
  description = "Nobody can take a chat, so take a message instead"
  on          = handoff
  when        = !business_hours.open && handoff.agents_online == 0
  reply       = response.after_hours
  start       = dialog.leave_message
}
