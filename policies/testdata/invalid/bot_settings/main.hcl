bot "b" {
  languages            = ["en", "klingon"] # ERROR: Unknown language
  confidence_threshold = 2 # ERROR: Invalid confidence threshold
  session_timeout      = "soon" # ERROR: Invalid duration
}
