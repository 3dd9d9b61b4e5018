bot "b" {
  languages = ["en"]
}

response "ok" {
  en = "OK"
}

dialog "d" { # ERROR: Dialog can never start
  trigger = [response.ok] # ERROR: Expected an intent reference
}
