# A stranger pointed the knowledge base at the whole folder: a scanned PDF
# and the bot's own files, which stopped the bot from loading its knowledge
# while validate said nothing.
bot "b" {
  languages = ["en"]
}

knowledge {
  sources = [
    "docs/*.md",
    "docs/*",  # ERROR: Knowledge source of an unknown kind
    "*.hcl",   # ERROR: Knowledge source is a bot file
    "faq.hcl", # WARNING: Knowledge source is a bot file
  ]
}
