package dialog

import (
	"slices"
	"strings"
	"testing"
)

const silentDir = "testdata/silent"

// errorLogged checks that the turn's log says why the bot said its error reply.
func errorLogged(want string) func(t *testing.T, tn turn, _ *convo) {
	return func(t *testing.T, tn turn, _ *convo) {
		t.Helper()
		if !slices.ContainsFunc(tn.errors(), func(e string) bool { return strings.Contains(e, want) }) {
			t.Errorf("errors = %q, want one containing %q", tn.errors(), want)
		}
	}
}

// Every customer message gets a reply: a dialog that completes with no rule
// or outcome applying says so, rather than nothing.
func TestNoOutcomeApplies(t *testing.T) {
	runConversations(t, []conversation{{
		name: "outcomes on a field the system left out",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("撤单 BK000001", intent("withdraw", 0.9), ent("booking_id", "BK000001")), calls: []string{"bookings.get_booking"}, replies: []string{"确认退订吗？"}},
			{in: zh("确定", ent("yes_no", "yes")), replies: []string{"系统出了点问题，请稍后再试。"}, stack: none(),
				check: errorLogged(`dialog "withdraw" completed, and no rule or outcome applies`)},
		},
	}, {
		name: "outcomes on a status none names",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("改签 BK000003", intent("rebook", 0.9), ent("booking_id", "BK000003")), calls: []string{"bookings.get_booking"}},
			{in: zh("2026-12-01", ent("date", "2026-12-01")), replies: []string{"系统出了点问题，请稍后再试。"}, stack: none(),
				check: errorLogged(`dialog "rebook" completed, and no rule or outcome applies`)},
		},
	}, {
		name: "an outcome that applies is said as before",
		dir:  silentDir,
		turns: []exchange{
			{in: zh("我要退订 BK000002", intent("refund", 0.9), ent("booking_id", "BK000002")), calls: []string{"bookings.get_booking"}, replies: []string{"可退金额 ¥800.00，确认退订吗？"}},
			{in: zh("确定", ent("yes_no", "yes")), replies: []string{"已退款。"}, stack: none()},
		},
	}})
}
