bot "b" {
  languages = ["en"]
}

entity "size" {
  pattern = "[SML]"
  values  = { small = ["s"] } # ERROR: Both pattern and values
}
