# The IT team, and what happens when nobody is there to take a chat.

queue "it_support" {
  skill = "it_support"
}

# With nobody online the bot cannot transfer anyone (Rasa's helpdesk had no
# host to hand off to at all): it offers to open an incident instead.
rule "nobody_online" {
  on    = handoff
  when  = handoff.agents_online == 0
  reply = response.no_agents
  start = dialog.open_incident
}
