# Dialogs: Rasa's open_incident_form and incident_status_form, and the handoff.

# The caller's email, checked against ServiceNow's users, shared by both
# dialogs. It is remembered: the next incident offers the same address
# (Rasa's previous_email).
slot "email" {
  type         = email
  prompt       = response.ask_email
  remember     = true
  reuse_prompt = response.ask_use_previous_email
  validate     = call.caller.sys_id != null # the directory knows it
  invalid      = response.no_email
  retries      = 3

  on_exhausted {
    reply = response.ask_whatelse
  }
}

call "caller" {
  operation = connector.servicenow.find_user
  input     = { email = slot.email }

  on_error {
    codes = ["unavailable", "timeout", "error"]
    reply = response.status_unavailable
  }
}

dialog "open_incident" {
  description = "Open an incident in ServiceNow"
  trigger     = [intent.open_incident, intent.password_reset, intent.problem_email]
  title       = { en = "your incident", zh = "提交工单" }

  slot "email" {}
  call "caller" {}

  slot "priority" {
    type    = priority
    prompt  = response.ask_priority
    invalid = response.no_priority
  }

  slot "problem_description" {
    type   = text
    prompt = response.ask_problem_description
  }

  # A password reset or an email problem names the incident by itself.
  slot "incident_title" {
    type    = text
    prompt  = response.ask_incident_title
    default = lookup(local.trigger_titles[conversation.language], intent.name, "")
  }

  confirm {
    prompt = response.ask_confirm
    on_no {
      reply = response.incident_creation_canceled
    }
  }

  outcome "opened" {
    call "incident" {
      operation = connector.servicenow.create_incident
      input = {
        short_description = slot.incident_title
        description       = slot.problem_description
        urgency           = local.urgency
        caller_id         = call.caller.sys_id
      }

      on_error {
        reply = response.incident_not_opened
      }
    }
    reply = response.incident_opened
  }
}

dialog "incident_status" {
  description = "Tell someone the state of the incidents they opened"
  trigger     = [intent.incident_status]
  title       = { en = "checking your incidents", zh = "查询工单" }
  interrupt   = "abandon" # "open an incident" instead: the status check is dropped

  slot "email" {}
  call "caller" {}

  call "incidents" {
    operation = connector.servicenow.list_incidents
    input     = { email = slot.email }

    on_error {
      reply = response.status_unavailable
    }
  }

  outcome "none" {
    when  = length(call.incidents.incidents) == 0
    reply = response.no_incidents
  }

  outcome "listed" {
    reply = response.incidents
  }
}

dialog "handoff" {
  description = "Bring in someone from the IT team, after asking"
  trigger     = [intent.human_handoff]

  confirm {
    prompt = response.ask_handoff
    on_no {
      reply = response.ask_whatelse
    }
  }

  outcome "transfer" {
    reply   = response.handoff
    handoff = queue.it_support
  }
}
