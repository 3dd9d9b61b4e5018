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

  call "early" {
    operation = connector.shop.refund
    input     = { order_id = slot.order_id }

    approval { # ERROR: Approval not allowed here
      queue  = queue.supervisors
      reason = "Early"
      on_approve {
        reply = "Yes"
      }
      on_reject {
        reply = "No"
      }
    }
  }

  outcome "ok" {
    call "refund" {
      operation = connector.shop.refund
      input     = { order_id = slot.order_id }

      on_error {
        call "again" {
          operation = connector.shop.refund
          input     = { order_id = slot.order_id }

          approval { # ERROR: Approval not allowed here
            queue  = queue.supervisors
            reason = "Again"
          }
        }
      }

      approval {
        queue  = queue.supervisors
        reason = "Outcome"
        on_approve {
          call "nested" {
            operation = connector.shop.refund
            input     = { order_id = slot.order_id }

            approval { # ERROR: Approval not allowed here
              queue  = queue.supervisors
              reason = "Nested"
            }
          }
          reply = "Yes"
        }
        on_reject {
          reply = "No"
        }
      }
    }
  }
}
