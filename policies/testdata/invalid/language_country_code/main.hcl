# A stranger wrote China's country code for Chinese, and was told "Did you
# mean "an"?" (Aragonese).
bot "b" {
  languages = ["en", "cn"] # ERROR: Unknown language
}

response "hi" {
  en = "Hi"
  jp = "こんにちは" # ERROR: Unknown language
}
