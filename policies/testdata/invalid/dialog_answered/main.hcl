# An answer takes its intent before any dialog does: a dialog triggered by
# an answered intent never starts from it (a warning, as bots written before
# this check keep validating).

bot "b" {
  languages = ["en"]
}

intent "greet" {
  examples = ["hi", "hello", "hey there", "good morning", "hello anyone there"]
}

intent "plans" {
  examples = ["what plans do you have", "plan prices", "how much is pro", "compare plans", "which plan is cheapest"]
}

answer "greet" {
  intent = intent.greet
  reply  = "Hi!"
}

answer "plans" {
  intent = intent.plans
  reply  = "Starter, Pro and Business."
}

dialog "vip_welcome" { # WARNING: Dialog can never start
  trigger = [intent.greet]
  when    = customer.vip

  outcome "hi" {
    reply = "Welcome back!"
  }
}

dialog "choose_plan" { # WARNING: Trigger never applies
  trigger = [intent.plans, intent.upgrade]

  outcome "done" {
    reply = "Done."
  }
}

intent "upgrade" {
  examples = ["upgrade", "upgrade my plan", "move to pro", "go up a plan", "bigger plan please"]
}
