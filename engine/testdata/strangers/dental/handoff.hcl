queue "emergency" {
  skill    = "dental_emergency"
  priority = "urgent"
}

queue "front_desk" {
  skill = "front_desk"
}

queue "supervisors" {
  skill    = "fee_waiver"
  priority = "high"
}

handoff "emergency" {
  description = "Toothache, swelling or injury: a person at once"
  # Pain or swelling the bot did not understand is still handed off (a missed emergency costs more than a misread one), but not a question such as "洗牙疼吗".
  when     = intent.name == "emergency" || intent.name == "" && matches(lower(message), "疼|痛|肿|出血|toothache|tooth ache|swell|swollen|bleeding") && !matches(message, "吗|么|[?？]")
  queue    = queue.emergency
  priority = "urgent"
  reply    = response.emergency_handoff
}

handoff "asked_for_human" {
  when  = intent.name == "human"
  queue = queue.front_desk
  reply = response.handoff_general
}

rule "emergency_after_hours" {
  description = "Nobody on duty: give the 24-hour emergency line"
  on          = handoff
  when        = !business_hours.open && handoff.agents_online == 0 && handoff.reason == "emergency"
  reply       = response.emergency_after_hours
}

rule "after_hours" {
  description = "Nobody can take a chat, so take a message instead"
  on          = handoff
  when        = !business_hours.open && handoff.agents_online == 0
  reply       = response.after_hours
  start       = dialog.leave_message
}
