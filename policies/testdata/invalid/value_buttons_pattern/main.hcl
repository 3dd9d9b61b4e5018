bot "b" {
  languages = ["en"]
}

entity "unit_no" {
  pattern = "[A-Z]-[0-9]{3,4}"
}

entity "repair_category" {
  values = {
    plumbing = ["tap", "toilet"]
    heating  = ["boiler", "radiator"]
  }
}

response "ask_unit" {
  en            = "Which unit?"
  value_buttons = unit_no # ERROR: Not a list entity
}

response "ask_category" {
  en            = "What needs repairing?"
  value_buttons = repair_categories # ERROR: Unknown entity
}

response "ask_item" {
  en            = "Which item?"
  value_buttons = "repair_category" # ERROR: Incorrect value type
}
