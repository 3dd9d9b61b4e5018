# The bot offers something, and the after_bot survey follows the offer.
bot "survey_offer" {
  languages = ["en"]

  replies {
    survey = response.survey
  }

  survey {
    after_bot = 1
  }
}

intent "hours" {
  examples = ["when are you open", "opening hours", "what time do you open", "are you open today", "hours please"]
}

response "offer" {
  en = "We open at 9. Shall I book you a visit?"
}

response "survey" {
  en = "How did we do, from 1 to 5?"
}

answer "hours" {
  intent = intent.hours
  reply  = response.offer
}

rule "offer_accepted" {
  on    = message
  when  = conversation.last_response == "offer" && entity.yes_no == "yes"
  reply = "Booked for 9 tomorrow."
}
