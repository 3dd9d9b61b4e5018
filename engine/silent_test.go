package engine

import (
	"strings"
	"testing"
)

// strangersRefund is the bot a stranger wrote: the confirmation and the
// outcomes read a field the booking system may leave out.
const strangersRefund = `
bot "travel" {
  languages = ["zh"]
}

intent "refund" {
  examples = ["我要退订", "取消预订退款", "退订单", "我想退款", "申请退款"]
}

intent "greet" {
  examples = ["你好", "您好", "在吗", "早上好", "哈喽"]
}

entity "booking_id" {
  pattern = "BK[0-9]{6}"
}

connector "bookings" {
  type     = "http"
  base_url = "http://127.0.0.1:18801"

  operation "get_booking" {
    input  = { booking_id = string }
    output = { status = string, refundable = number }
    method = "GET"
    path   = "/bookings/{booking_id}"
  }
}

dialog "refund" {
  trigger = [intent.refund]

  slot "booking_id" {
    type   = booking_id
    prompt = "请提供预订号。"
  }

  call "booking" {
    operation = connector.bookings.get_booking
    input     = { booking_id = slot.booking_id }
  }

  confirm {
    prompt = "可退金额 ${money(call.booking.refundable, "CNY")}，确认退订吗？"
  }

  outcome "small" {
    when  = call.booking.refundable < 1000
    reply = "已退款。"
  }

  outcome "mid" {
    when  = call.booking.refundable >= 1000 && call.booking.refundable <= 5000
    reply = "已提交审核。"
  }

  outcome "big" {
    when  = call.booking.refundable > 5000
    reply = "需要主管审批。"
  }
}

mock {
  operation = connector.bookings.get_booking
  input     = { booking_id = "BK000001" }
  output    = { status = "confirmed" } # refundable left out
}

test "the booking system leaves the refundable amount out" {
  turn {
    user       = "我要退订 BK000001"
    reply_glob = "*系统出了点问题*"
    dialog     = "none"
  }

  turn {
    user       = "确定"
    reply_glob = "*"
  }
}
`

// TestEveryMessageIsAnswered plays the stranger's conversation through the
// engine: the confirmation that could not be said was their last word, and
// the customer's "确定" got no reply at all.
func TestEveryMessageIsAnswered(t *testing.T) {
	sum, failures, out := runBotTests(t, strangersRefund)
	if sum.Failed != 0 {
		t.Fatalf("failures:\n%s\n%s", strings.Join(failures, "\n"), out)
	}
}
