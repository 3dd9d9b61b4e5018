# The agent console: canned replies agents insert (typing "/" in the reply box
# lists them), and how waiting conversations are shared out.

inbox {
  auto_assign = true
}

quick_reply "greeting" {
  title = "Greeting"
  en    = "Hi ${customer.name}, this is ${agent.name}. How can I help?"
  zh    = "${customer.name}您好，我是${agent.name}，请问有什么可以帮您？"
}

quick_reply "order_count" {
  en = "You ordered ${slot.count} ${slot.dish}${customer.vip ? " (VIP)" : ""}; ${conversation.id} is your reference."
}

customer_lookup {
  operation = connector.crm.find_customer
  input     = { email = customer.email, phone = customer.phone }
  refresh   = "12h"
}
