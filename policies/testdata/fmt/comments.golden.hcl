# Rules.
# Indented comment.

rule "after_hours" {
  on   = handoff # checked before handoff
  when = !business_hours.open
  // another comment style
  reply = response.after_hours
  start = dialog.leave_message
}

/* block
   comment */
rule "x" {
  on = message
}
