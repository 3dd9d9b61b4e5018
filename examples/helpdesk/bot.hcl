# The IT helpdesk: a port of Rasa's helpdesk-assistant
# (https://github.com/RasaHQ/helpdesk-assistant, Apache-2.0, see NOTICE) to
# Parley, in English and Chinese. It opens incidents in ServiceNow, tells
# people the status of their incidents, and brings in a person.

bot "helpdesk" {
  description          = "IT helpdesk: incidents in ServiceNow, their status, and a person when needed"
  languages            = ["en", "zh"]
  confidence_threshold = 0.45
  session_timeout      = "30m"

  replies {
    not_understood = response.default
    error          = response.error
    goodbye        = response.goodbye
  }
}

locals {
  # ServiceNow's urgency: 1 is high.
  urgency = lookup({ high = 1, medium = 2, low = 3 }, slot.priority, 3)

  # The title an incident gets from the intent that opened it (Rasa's
  # from_trigger_intent), in the customer's language.
  trigger_titles = {
    en = { password_reset = "Problem resetting password", problem_email = "Problem with email" }
    zh = { password_reset = "密码重置问题", problem_email = "邮箱问题" }
  }
}
