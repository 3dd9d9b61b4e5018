bot "b" {
  languages = ["en"]
}

inbox {
  auto_assign = "yes" # ERROR: Incorrect value type
  max_chats   = 3     # ERROR: Unsupported argument
}

inbox { # ERROR: Duplicate inbox block
  auto_assign = true
}
