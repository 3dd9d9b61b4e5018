rule "plan_auto_approve" {
  description = "Small payment plans are approved at once"
  on          = dialog.payment_plan
  when        = slot.amount < var.auto_plan_limit

  call "plan" {
    operation = connector.billing.create_plan
    input     = { account_number = slot.account_number, amount = slot.amount, months = slot.months }
  }
  reply = response.plan_approved
}

rule "plan_team_review" {
  description = "Plans from 300 to 2000 are reviewed by the billing team"
  on          = dialog.payment_plan
  when        = slot.amount >= var.auto_plan_limit && slot.amount <= var.supervisor_plan_limit

  call "plan" {
    operation       = connector.billing.create_plan
    input           = { account_number = slot.account_number, amount = slot.amount, months = slot.months }
    idempotency_key = "plan-${slot.account_number}"

    approval {
      queue  = queue.billing
      role   = "agent"
      reason = "Payment plan of ${money(slot.amount, var.currency)} over ${slot.months} months for ${slot.account_number}"

      on_approve {
        reply = response.plan_approved_later
      }
      on_reject {
        reply = response.plan_declined
      }
    }
  }
  reply = response.plan_waits_review
}

rule "plan_supervisor" {
  description = "Plans over 2000 need a supervisor"
  on          = dialog.payment_plan
  when        = slot.amount > var.supervisor_plan_limit

  call "plan" {
    operation       = connector.billing.create_plan
    input           = { account_number = slot.account_number, amount = slot.amount, months = slot.months }
    idempotency_key = "plan-${slot.account_number}"

    approval {
      queue      = queue.supervisors
      role       = "supervisor"
      reason     = "Payment plan of ${money(slot.amount, var.currency)} over ${slot.months} months for ${slot.account_number} (over ${money(var.supervisor_plan_limit, var.currency)})"
      expires_in = "48h"

      on_approve {
        reply = response.plan_approved_later
      }
      on_reject {
        reply = response.plan_declined
      }
    }
  }
  reply = response.plan_waits_supervisor
}

rule "after_hours" {
  description = "Nobody can take a chat, so take a message instead"
  on          = handoff
  when        = !business_hours.open && handoff.agents_online == 0

  ticket {
    queue   = queue.general
    subject = "Call back: customer asked for a person after hours"
  }
  reply = response.after_hours
}
