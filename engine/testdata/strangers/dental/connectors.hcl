connector "clinic" {
  type = "fixture"
  data = {
    bookings = {
      DC100001 = { status = "booked", starts_at = "2026-11-26T10:00:00+08:00", treatment = "cleaning", branch = "jingan" }
      DC100002 = { status = "booked", starts_at = "2026-11-23T18:00:00+08:00", treatment = "filling", branch = "xuhui" }
      DC100003 = { status = "no_show", starts_at = "2026-11-20T15:00:00+08:00", treatment = "checkup", branch = "pudong" }
    }
  }

  operation "get_booking" {
    input  = { booking_ref = string }
    output = { status = string, starts_at = string, treatment = string, branch = string }
    lookup = "bookings"
  }

  operation "create_booking" {
    input   = { treatment = string, branch = string, date = string, time = string, dentist = string, phone = string }
    output  = { booking_ref = string, status = string }
    respond = { booking_ref = "DC200001", status = "booked" }
  }

  operation "reschedule_booking" {
    input   = { booking_ref = string, date = string, time = string, fee = number }
    output  = { status = string }
    respond = { status = "booked" }
  }

  operation "cancel_booking" {
    input   = { booking_ref = string, fee = number }
    output  = { status = string, fee = number }
    respond = { status = "cancelled", fee = "{fee}" }
  }

  operation "waive_fee" {
    input   = { booking_ref = string, reason = string }
    output  = { status = string }
    respond = { status = "waived" }
  }
}
