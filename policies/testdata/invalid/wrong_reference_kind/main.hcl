bot "b" {
  languages = ["en"]
}

response "ok" {
  en = "OK"
}

dialog "d" {
  trigger = [response.ok] # ERROR: Expected an intent reference
}
