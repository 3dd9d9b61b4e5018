handoff "vip" { # WARNING: Never applies
  when  = customer.vip && intent.name == "human"
  queue = queue.vip
}

handoff "vip_angry" {
  when  = customer.vip && sentiment < -0.5
  queue = queue.vip
}
