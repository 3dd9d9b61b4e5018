package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxEchoRunes bounds an answer read as an echo: a longer message says more
// than yes or no.
const maxEchoRunes = 40

// EchoAnswer reads an answer that echoes a yes-or-no question instead of
// saying yes or no: Chinese has no words for them, so "路由器的灯是绿色的吗？"
// is answered "是绿色的" or "不是", "您收到退款了吗？" "收到了" or "还没有";
// English speakers do it too ("Is the light green?" "it is", "it isn't").
// question is what the bot said last, answer the customer's reply. It
// returns "yes", "no", or "" when the answer does not plainly echo the
// question's own predicate ("是红色的" to "是绿色的吗"), hedges, qualifies
// ("but", "但是"), asks back, or the question is not a yes-or-no question.
// A negated echo is "no" even after a yes ("对，没收到"): a wrong yes costs
// more than asking again.
func EchoAnswer(question, answer string) string {
	a := strings.TrimSpace(answer)
	if a == "" || utf8.RuneCountInString(a) > maxEchoRunes || strings.ContainsAny(a, "?？") {
		return ""
	}
	if hasHan(a) {
		return echoZh(question, a)
	}
	return echoEn(question, a)
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 && unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// settle combines the echo with the yes or no the answer opened with, if
// any: a negated echo is "no" whatever came first; an echo that agrees with
// the question after a "no" contradicts itself, and is not read.
func settle(opener string, negated bool) string {
	switch {
	case negated:
		return "no"
	case opener == "no":
		return ""
	}
	return "yes"
}
