bot "kb" {
  languages = ["en", "zh"]
}

faq "hours" {
  question     = "When are you open?"
  alternatives = ["opening hours"]
  answer       = "9 to 6 on weekdays."
}

response "kb_answer" {
  en = "${knowledge.answer}\n\nSource: ${knowledge.title} (${knowledge.source}, ${knowledge.id}, ${knowledge.score})"
  zh = "${knowledge.answer}\n\n来源：${knowledge.title}"
}

# A generate block needs no embedder block: the built-in embedder is the default.
knowledge {
  sources = ["docs/**/*.md"]
  reply   = response.kb_answer

  generate {
    provider    = "openai"
    model       = "gpt-4o-mini"
    api_key_env = "OPENAI_API_KEY"
  }
}

test "knowledge expectations" {
  turn {
    user       = "when are you open?"
    knowledge  = "main.hcl#hours"
    unanswered = false
  }
  turn {
    user       = "do you sell cars?"
    knowledge  = "none"
    unanswered = true
  }
}
