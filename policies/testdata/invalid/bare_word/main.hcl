# Priorities and roles are text: written bare (priority = urgent), HCL reads
# them as variables. The error says to quote them.

bot "b" {
  languages = ["en"]
}

intent "help" {
  examples = ["help", "help me", "I need help", "can you help", "please help"]
}

queue "safety" {
  priority = urgent # ERROR: Missing quotes
}

handoff "h" {
  when     = intent.name == "help"
  queue    = queue.safety
  priority = high # ERROR: Missing quotes
}

# A ticket's priority is an expression (it may choose by customer.vip), so the
# bare word is read as a name; it still wants quotes, not a namespace.
rule "escalate" {
  on   = message
  when = intent.name == "help"

  ticket {
    queue    = queue.safety
    subject  = "Help"
    priority = urgent # ERROR: Missing quotes
  }
  reply = "A colleague will write to you."
}
