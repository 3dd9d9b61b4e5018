rule "dispute_not_owner" {
  description = "Only the account holder may dispute a bill"
  on          = dialog.bill_dispute
  when        = call.line.owner_id != customer.id
  resolves    = false
  reply       = response.not_your_line
}

rule "dispute_auto_credit" {
  description = "Small disputes are credited at once"
  on          = dialog.bill_dispute
  when        = slot.amount < var.auto_credit_limit
  amount      = slot.amount

  call "credit" {
    operation = connector.billing.credit
    input     = { phone = slot.phone, amount = slot.amount, reason = slot.charge }
  }
  reply = response.credit_done
}

rule "dispute_review" {
  description = "Middle-sized disputes go to the billing team"
  on          = dialog.bill_dispute
  when        = slot.amount >= var.auto_credit_limit && slot.amount <= var.supervisor_limit

  ticket {
    queue       = queue.billing
    subject     = "Bill dispute: ${money(slot.amount, var.currency)} on ${slot.phone}"
    description = "Charge: ${slot.charge}"
  }
  reply = response.dispute_review
}

rule "dispute_supervisor" {
  description = "Large disputes need a supervisor"
  on          = dialog.bill_dispute
  when        = slot.amount > var.supervisor_limit

  call "credit" {
    operation       = connector.billing.credit
    input           = { phone = slot.phone, amount = slot.amount, reason = slot.charge }
    idempotency_key = "credit-${slot.phone}-${slot.amount}"

    approval {
      queue  = queue.supervisors
      reason = "Bill credit of ${money(slot.amount, var.currency)} on ${slot.phone}: ${slot.charge}"

      on_approve {
        reply = response.dispute_approved
      }
      on_reject {
        reply = response.dispute_declined
      }
    }
  }
  reply = response.dispute_supervisor
}

rule "after_hours" {
  on   = handoff
  when = !business_hours.open && handoff.agents_online == 0

  ticket {
    queue   = queue.general
    subject = "Call back: customer asked for a person after hours"
  }
  reply = response.after_hours
}
