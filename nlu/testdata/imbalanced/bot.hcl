# One big intent and five rare ones (nlu/testdata/imbalanced/intents.hcl).

bot "imbalanced" {
  languages            = ["en"]
  confidence_threshold = 0.3
}
