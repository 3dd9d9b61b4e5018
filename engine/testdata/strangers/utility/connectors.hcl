connector "billing" {
  type = "fixture"
  data = {
    accounts = {
      AC12345678 = { name = "Ann Lee", balance = 450, tariff = "variable" }
      AC87654321 = { name = "王小明", balance = 2600, tariff = "fixed" }
      AC11112222 = { name = "Bob Smith", balance = 120, tariff = "green" }
    }
  }

  operation "get_account" {
    input  = { account_number = string }
    output = { name = string, balance = number, tariff = string }
    lookup = "accounts"
  }

  operation "submit_reading" {
    input   = { account_number = string, fuel = string, reading = number, read_on = string }
    output  = { reference = string }
    respond = { reference = "MR-{account_number}" }
  }

  operation "create_plan" {
    input   = { account_number = string, amount = number, months = number }
    output  = { plan_id = string }
    respond = { plan_id = "PP-{account_number}" }
  }

  operation "register_move" {
    input   = { account_number = string, move_out = string, new_address = string }
    output  = { reference = string }
    respond = { reference = "MV-{account_number}" }
  }

  operation "change_tariff" {
    input   = { account_number = string, tariff = string }
    output  = { reference = string }
    respond = { reference = "TF-{account_number}" }
  }
}
