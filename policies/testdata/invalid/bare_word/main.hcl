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
