# Who the customer is. The shop's CRM (the stand-in in backend/) knows its
# customers by email and phone; when someone the bot has not looked up lately
# writes, it asks, and keeps their name, VIP status and tier on the customer:
# the VIP who writes by SMS goes to the VIP queue.

connector "crm" {
  type         = "http"
  description  = "Customers: name, tier, VIP status"
  base_url     = "http://127.0.0.1:8090"
  base_url_env = "SHOP_API_URL" # the same stand-in service as the orders
  timeout      = "2s"

  operation "find_customer" {
    description = "Find a customer by email or phone"
    input       = { email = optional(string), phone = optional(string) }
    output      = { name = string, vip = bool, tier = string }
    method      = "GET"
    path        = "/customers"
    query       = { email = "{email}", phone = "{phone}" }
    result      = { name = "customer.name", vip = "customer.vip", tier = "customer.tier" }
  }
}

customer_lookup {
  operation = connector.crm.find_customer
  input     = { email = customer.email, phone = customer.phone }
  refresh   = "24h" # look them up again a day later
}
