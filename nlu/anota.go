package nlu

import (
	"slices"
	"strings"
)

// A Chinese question asked A-not-A ("矫正贵不贵", "能不能退", "可不可以分期",
// "有没有优惠") asks what the same question with 吗 does ("矫正贵吗", "能退吗",
// "可以分期吗", "有优惠吗"), but shares only some characters with it, so a
// bot whose examples ask one way scored the other below its threshold. A
// message's A-not-A is read in the 吗 form where the examples ask with 吗
// and never that A-not-A: the 不A (没A) goes, and 吗 ends the clause.

// notAWords are A-not-A look-alikes that ask nothing: 动不动 (at every turn),
// 时不时 (now and then).
var notAWords = []string{"动不动", "时不时"}

// aNotAAt returns the index in rs of the 不 or 没 of an A-not-A, or -1.
func aNotAAt(rs []rune) int {
	for i := 0; i+2 < len(rs); i++ {
		a, neg := rs[i], rs[i+1]
		if (neg == '不' || neg == '没') && rs[i+2] == a && a != '不' && a != '没' && isCJK(a) &&
			!slices.Contains(notAWords, string(rs[i:i+3])) {
			return i + 1
		}
	}
	return -1
}

// aNotAForms lists the A-not-A forms ("贵不贵") in the examples' text, and
// whether they ask with 吗.
func aNotAForms(text string, seen map[string]bool) (asksMa bool) {
	rs := []rune(text)
	for {
		i := aNotAAt(rs)
		if i < 0 {
			break
		}
		seen[string(rs[i-1:i+2])] = true
		rs = rs[i+2:]
	}
	return strings.ContainsRune(text, '吗')
}

// readANotA rewrites the A-not-A questions among a message's Chinese runs
// that the examples never ask that way, where they ask with 吗. It returns
// toks itself when it changes nothing.
func (m *Model) readANotA(toks []token) []token {
	if !m.asksMa {
		return toks
	}
	var out []token
	for i, tk := range toks {
		if tk.kind != tokCJK {
			continue
		}
		rs := []rune(tk.text)
		j := aNotAAt(rs)
		if j < 0 || m.aNotA[string(rs[j-1:j+2])] {
			continue
		}
		rs = append(rs[:j:j], rs[j+2:]...)
		for len(rs) > 0 && strings.ContainsRune("啊呀呢哦啦嘛", rs[len(rs)-1]) {
			rs = rs[:len(rs)-1]
		}
		if len(rs) == 0 || rs[len(rs)-1] != '吗' {
			rs = append(rs, '吗')
		}
		if out == nil {
			out = slices.Clone(toks)
		}
		out[i].text = string(rs)
	}
	if out == nil {
		return toks
	}
	return out
}
