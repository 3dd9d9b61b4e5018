bot "b" {
  languages = ["en"]
}

# A pattern that matches no file would make the bot fail to start (and
# parley test abort), so validate reports it.
knowledge {
  sources = [
    "knowledge/*.md",
    "knowledge/*.csv", # ERROR: Knowledge source matches no file
    "docs/**/*.md",    # ERROR: Knowledge source matches no file
    "knowledge/",      # ERROR: Knowledge source matches no file
  ]
}
