package nlu

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Chinese yes-or-no question asks about a predicate ("是绿色的吗", "收到退款了吗",
// "能不能上网"), and the answer repeats it, negated for no ("不是", "没收到",
// "还是不能"). The predicate is found without a parser: it starts at a word of
// zhPredicates, right after 是 (the adjective of "是绿色的"), or at the A of an
// A-not-A question. The answer must be a piece of the question that takes in
// one of those words ("收到", "灯是绿色的"), so "退款" (the object) or "是红色的"
// (another colour) is no echo.

// zhPredicates are the words a question's predicate starts with: modal verbs
// and the copula, and the states customers are asked about. Action verbs
// that come before the state asked about (重启 in "重启以后能上网了吗") are
// left out, so that "重启了" is not read as yes. docs/language.md lists them
// for bot authors (under yes_no): keep it in step.
var zhPredicates = []string{
	"是", "有", "能", "能够", "可以", "会", "要", "需要", "想", "想要", "愿意", "打算", "在", "行", "好",
	"对", "用", "收到", "到", "到账", "成功", "满意", "记得", "知道", "确定", "同意", "喜欢", "明白",
	"清楚", "了解", "亮", "通", "连上", "登录", "登陆", "解决", "正常", "恢复", "修好", "看到",
	"找到", "拿到", "完成", "开", "关", "坏",
}

// zhLightVerbs ask for a go-ahead with the verb after them ("确认取消",
// "确定提交"), which an answer may echo instead of them.
var zhLightVerbs = []string{"确认", "确定"}

// zhNotPredicates are words that start with a predicate's character without
// being one (会员, 银行, 现在); the scan steps over them.
var zhNotPredicates = []string{
	"所有", "有效", "会员", "一会", "现在", "正在", "存在", "重要", "主要", "功能", "智能", "可能",
	"银行", "进行", "行李", "好像", "友好", "对于", "对方", "使用", "用户", "费用", "还是", "就是",
	"但是", "只是", "要求", "想法", "应用", "信用", "开始", "关于", "到底", "得到",
}

// zhSynonyms are predicates an answer may use for one another: "可以了" and
// "还是不行" answer "能上网了吗", "要" answers "需要…吗".
var zhSynonyms = [][]string{
	{"能", "能够", "可以", "行"},
	{"需要", "要"},
	{"是", "对"},
	{"好", "行"},
	{"收到", "到", "到账"},
}

// zhLeading open an answer, without a pause, and add nothing: "嗯收到了",
// "是的收到了".
var zhLeading = []string{"嗯嗯", "嗯", "恩", "哦", "噢", "额", "呃", "啊", "是的", "对的"}

// zhPronouns may stand before the echo, where the question had the subject
// or none: "我收到了", "它是绿色的".
var zhPronouns = []string{"我们", "我", "它", "他", "她"}

// zhOpeners are a yes or no said before the echo, as their own clause
// ("是的，收到了", "不，还没有").
var zhOpeners = map[string]string{
	"对": "yes", "对的": "yes", "对啊": "yes", "对呀": "yes", "是的": "yes", "是啊": "yes", "是呀": "yes",
	"没错": "yes", "好的": "yes", "嗯": "yes", "嗯嗯": "yes", "恩": "yes", "哦": "", "噢": "", "额": "", "呃": "",
	"不": "no", "不是": "no", "否": "no",
}

// zhAdverbs may come before the echo: "已经收到了", "都好了", "还是不行".
var zhAdverbs = []string{"已经", "早就", "早已", "都", "也", "还是", "还", "一直", "仍然", "依然", "依旧", "仍", "并", "现在", "刚刚", "刚才", "刚", "确实", "真的", "肯定", "当然"}

// zhHedges make an answer a guess, not a yes or no.
var zhHedges = []string{"觉得", "感觉", "应该", "好像", "可能", "大概", "也许", "估计", "不知道", "不清楚", "不确定", "说不定"}

// zhQualifiers make an answer more than yes or no: "能，但是很慢".
var zhQualifiers = []string{"但", "不过", "可是", "只是", "然而", "吗"}

const zhParticles = "啊呀吧呢哦啦嘛哈噢哇"

// zhQuestionText is the clause a question asks about, without its question
// particle and A-not-A ("灯是不是绿色的" → "灯是绿色"), and its predicates.
type zhQuestionText struct {
	clause   []rune
	preds    []zhPredicate
	negative bool // "还没收到吗": not read
	// modified is where a noun with a modifier follows 有 ("有破损的照片"),
	// -1 for none: an echo that stops inside it ("有破损") says something
	// the question did not ask.
	modified int
}

type zhPredicate struct {
	at   int    // where the predicate starts in the clause
	head string // the predicate word the answer must say at least
}

func echoZh(question, answer string) (string, bool) {
	q, ok := zhQuestion(question)
	// A customer may switch to Chinese to answer an English question ("Has the
	// bag been opened?" "没有"): a bare 没有 or 还没 says no to it as to a
	// Chinese one. Nothing else is read across languages.
	english := false
	if !ok {
		if _, en := parseEnQuestion(question); !en || hasHan(question) {
			return "", false
		}
		english = true
	}
	if slices.ContainsFunc(zhQualifiers, func(w string) bool { return strings.Contains(answer, w) }) {
		return "", false
	}
	clauses := strings.FieldsFunc(answer, zhBreak)
	opener := ""
	for len(clauses) > 1 {
		v, isOpener := zhOpeners[clauses[0]]
		if !isOpener {
			break
		}
		if v != "" {
			opener = v
		}
		clauses = clauses[1:]
	}
	if len(clauses) == 0 {
		return "", false
	}
	more := slices.ContainsFunc(clauses[1:], func(c string) bool {
		return !slices.Contains(zhCourtesies, strings.TrimRight(c, zhParticles))
	})
	core := stripPrefixes(clauses[0], zhLeading)
	core = stripPrefixes(core, zhPronouns)
	hedged := func() bool {
		return slices.ContainsFunc(zhHedges, func(h string) bool { return strings.HasPrefix(core, h) })
	}
	if hedged() {
		return "", false
	}
	beforeAdverbs := core
	core = stripPrefixes(core, zhAdverbs)
	if hedged() {
		return "", false
	}
	// Read before the adverbs go: 还 in "还不了" is the verb (return).
	if yn, ok := zhPotential(question, q, beforeAdverbs); ok && !english {
		return settle(opener, yn == "no"), more
	}
	core = stripSubjectBeforeNegation(core, q)
	// "确定取消" to "是否确认取消订单？": a go-ahead word (either of the two,
	// whichever the question used) before an echo of the verb it asks about.
	if lv := longestPrefix(core, zhLightVerbs); lv != "" && !english {
		if rest := zhNormalize(core[len(lv):]); len(rest) > 0 && (zhEchoes(rest, q, false) || afterLightVerbWants(q.clause, rest)) {
			return settle(opener, false), more
		}
	}
	negated, bareNo := false, false
	// 没有 and 没 negate 有 as well as a verb: "没有破损" and "没破损" answer
	// "有破损吗" as "没收到" answers "收到了吗", so the echo may keep the 有.
	withYou := ""
	switch {
	case strings.HasPrefix(core, "无法"):
		// 无法 is 不能: "还是无法上网".
		negated, core = true, "能"+core[len("无法"):]
	case strings.HasPrefix(core, "没有"), strings.HasPrefix(core, "没"), strings.HasPrefix(core, "未"):
		negated, bareNo = true, true
		core = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(core, "没有"), "没"), "未")
		if !strings.HasPrefix(core, "有") {
			withYou = "有" + core
		}
	case strings.HasPrefix(core, "不"), strings.HasPrefix(core, "别"):
		negated = true
		core = strings.TrimPrefix(strings.TrimPrefix(core, "不"), "别")
		core = stripPrefixes(core, []string{"太", "怎么", "大"})
		if rest, ok := strings.CutPrefix(core, "用"); ok {
			// 不用 is 不要 ("不用了" to "需要…吗"); 没用 is no answer.
			core = "要" + rest
		}
	}
	// "绿的" answers "是绿色的吗"; a lone "会" does not answer "是会员吗".
	adjective := strings.HasSuffix(strings.TrimRight(core, zhParticles+"了"), "的")
	rest := zhNormalize(core)
	if len(rest) == 0 {
		// "没有", "还没": no to any question; a bare "不" is left to the
		// yes_no entity.
		if bareNo {
			return "no", more
		}
		return "", false
	}
	if english {
		return "", false
	}
	if !zhEchoes(rest, q, adjective) && (withYou == "" || !zhEchoes(zhNormalize(withYou), q, adjective)) {
		return "", false
	}
	return settle(opener, negated), more
}

// afterLightVerbWants reports whether the question asks 确定要 or 确认要
// before the verb ans starts with: "确定退款" to "确定要退款吗？" says yes to
// the refund, where "退款" alone, which echoes no predicate, may be a new
// request.
func afterLightVerbWants(clause, ans []rune) bool {
	for _, lv := range zhLightVerbs {
		at := runeIndex(clause, []rune(lv+"要"))
		if at >= 0 && hasRunePrefix(clause[at+len([]rune(lv))+1:], ans) && len(ans) >= 2 {
			return true
		}
	}
	return false
}

// zhNegations start a negated echo.
var zhNegations = []string{"不", "没", "未", "别", "无法", "并不", "还没", "还是不", "也不", "也没", "都没", "都不"}

// stripSubjectBeforeNegation drops what the question says before its
// predicate when the answer repeats it ahead of a negation: "灯不是绿色的"
// to "路由器的灯是绿色的吗" is "不是绿色的", as "灯是绿色的" is an echo of
// it. What is left must still echo the question.
func stripSubjectBeforeNegation(core string, q zhQuestionText) string {
	rs := []rune(core)
	for k := len(rs) - 1; k > 0; k-- {
		rest := string(rs[k:])
		if !slices.ContainsFunc(zhNegations, func(n string) bool { return strings.HasPrefix(rest, n) }) {
			continue
		}
		subject := zhNormalize(string(rs[:k])) // the clause has no 的 or 了
		if len(subject) == 0 {
			continue
		}
		for _, p := range q.preds {
			for from := 0; from+len(subject) <= p.at; from++ {
				if hasRunePrefix(q.clause[from:], subject) {
					return stripPrefixes(rest, zhAdverbs)
				}
			}
		}
	}
	return core
}

// zhCourtesies may follow an echo without saying more: "收到了，谢谢".
var zhCourtesies = []string{"谢谢", "好的谢谢", "谢谢你", "谢谢您", "谢了", "多谢", "感谢", "好的", "辛苦了", "麻烦了"}

func zhBreak(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || strings.ContainsRune("~～", r)
}

// stripPrefixes removes any of the words, repeatedly, from the start of s.
func stripPrefixes(s string, words []string) string {
	for trimmed := true; trimmed; {
		trimmed = false
		for _, w := range words {
			if strings.HasPrefix(s, w) && len(s) > len(w) {
				s = s[len(w):]
				trimmed = true
			}
		}
	}
	return s
}

// zhNormalize drops 了 and 的, which answers add or leave out freely
// ("收到了", "是绿色的", "绿的"), the particles at the end, and a final
// 掉 after a verb.
func zhNormalize(s string) []rune {
	rs := []rune(s)
	out := rs[:0:0]
	for i, r := range rs {
		if r == '的' || r == '了' && (i+1 == len(rs) || rs[i+1] != '解') {
			continue
		}
		out = append(out, r)
	}
	for len(out) > 0 && strings.ContainsRune(zhParticles, out[len(out)-1]) {
		out = out[:len(out)-1]
	}
	// 掉 after a verb says it is done away with ("取消掉", "退掉"): an
	// answer adds it as freely as 了. Alone, "掉了" is its own verb.
	if len(out) > 1 && out[len(out)-1] == '掉' {
		out = out[:len(out)-1]
	}
	return out
}

// zhEchoes reports whether the answer repeats one of the question's
// predicates from its start, saying at least the predicate word or a
// synonym of it ("收到了", "可以了" for 能), perhaps with what comes before
// it ("灯是绿色的" for "路由器的灯是绿色的").
func zhEchoes(ans []rune, q zhQuestionText, adjective bool) bool {
	for _, p := range q.preds {
		head := len([]rune(p.head))
		if p.head == "" && !adjective {
			head = 2 // after 是 or 有, a word, not its first character
		}
		for from := 0; from <= p.at; from++ {
			end := from + len(ans)
			if q.modified > 0 && from < q.modified && end > q.modified && end < len(q.clause) {
				continue
			}
			if hasRunePrefix(q.clause[from:], ans) && end >= p.at+head {
				return true
			}
		}
		for _, group := range zhSynonyms {
			for _, said := range group {
				tail, ok := cutRunePrefix(ans, said)
				if !ok {
					continue
				}
				for _, meant := range group {
					if meant != said && strings.HasPrefix(p.head, meant) && hasRunePrefix(q.clause[p.at:], append([]rune(meant), tail...)) {
						return true
					}
				}
			}
		}
	}
	return false
}

func hasRunePrefix(s, prefix []rune) bool {
	return len(prefix) <= len(s) && slices.Equal(s[:len(prefix)], prefix)
}

func cutRunePrefix(s []rune, prefix string) ([]rune, bool) {
	p := []rune(prefix)
	if !hasRunePrefix(s, p) {
		return nil, false
	}
	return s[len(p):], true
}

// zhQuestion finds the yes-or-no question the bot asked last and the
// predicates an answer may echo. A question with a negation ("还没收到吗")
// is not read: 对 and 是 would then mean no, and an echo is ambiguous.
func zhQuestion(text string) (zhQuestionText, bool) {
	clauses, ok := zhLastQuestion(text)
	if !ok {
		return zhQuestionText{}, false
	}
	// The question is its last clause ("好的，请重启路由器，重启以后能上网了吗"
	// asks "重启以后能上网了"), or as many before it as it takes to find a
	// predicate ("需要我帮您开工单，安排师傅上门吗").
	for from := len(clauses) - 1; from >= 0; from-- {
		if q, ok := zhClause(strings.Join(clauses[from:], "")); ok || q.negative {
			return q, ok
		}
	}
	// A yes-or-no question all the same: 没有 answers it.
	return zhQuestionText{}, true
}

// zhClause finds the predicates of a question's clause.
func zhClause(clause string) (zhQuestionText, bool) {
	rs := zhNormalize(clause)
	// zhNormalize drops 的, which tells a modifier from its noun.
	modified := -1
	if raw := []rune(clause); slices.Contains(raw, '有') && zhModifiedNoun(raw[slices.Index(raw, '有')+1:]) {
		modified = slices.Index(rs, '有') + 1
	}
	var marks []int
	// 是否 asks whether what follows holds: "您是否收到了退款".
	if i := runeIndex(rs, []rune("是否")); i >= 0 {
		rs = slices.Delete(slices.Clone(rs), i, i+2)
		marks = append(marks, i)
	}
	// A-not-A: "能不能上网" asks "能上网", "可不可以" "可以", "需不需要" "需要".
	for i := 0; i+2 < len(rs); i++ {
		a := rs[i]
		if a == '不' || a == '没' || rs[i+1] != '不' && rs[i+1] != '没' {
			continue
		}
		switch {
		case i+3 < len(rs) && i >= 1 && rs[i-1] != a && rs[i+2] == rs[i-1] && rs[i+3] == a:
			// AB不AB: 需要不需要 (A is rs[i-1]).
			rs = slices.Delete(slices.Clone(rs), i+1, i+4)
			marks = append(marks, i-1)
		case rs[i+2] == a:
			rs = slices.Delete(slices.Clone(rs), i+1, i+3)
			marks = append(marks, i)
		default:
			continue
		}
		break
	}
	if slices.ContainsFunc(rs, func(r rune) bool { return strings.ContainsRune("不没别未", r) }) {
		return zhQuestionText{negative: true}, false
	}
	var preds []zhPredicate
	add := func(at int, head string) {
		if at < len(rs) {
			preds = append(preds, zhPredicate{at: at, head: head})
		}
	}
	// 确认 and 确定 before a verb only ask to go ahead with it: "是否确认取消"
	// is answered "取消" or "不取消", as "是否取消" is.
	addLightVerbObject := func(at int) {
		if w := longestPrefix(string(rs[at:]), zhLightVerbs); w != "" {
			next := at + len([]rune(w))
			head := longestPrefix(string(rs[next:]), zhPredicates)
			if head == "" && next < len(rs) {
				head = string(rs[next:min(next+2, len(rs))])
			}
			add(next, head)
		}
	}
	for _, at := range marks {
		if at >= len(rs) {
			continue
		}
		head := longestPrefix(string(rs[at:]), zhPredicates)
		if head == "" {
			head = string(rs[at : at+1])
		}
		add(at, head)
		addLightVerbObject(at)
	}
	for i := 0; i < len(rs); {
		rest := string(rs[i:])
		if w := longestPrefix(rest, zhNotPredicates); w != "" && len(w) >= len(longestPrefix(rest, zhPredicates)) {
			i += len([]rune(w))
			continue
		}
		w := longestPrefix(rest, zhPredicates)
		if w == "" {
			// "确认退款吗" asks to go ahead with 退款, as "是否确认退款" does.
			if lv := longestPrefix(rest, zhLightVerbs); lv != "" {
				add(i, lv)
				addLightVerbObject(i)
				i += len([]rune(lv))
				continue
			}
			i++
			continue
		}
		add(i, w)
		addLightVerbObject(i)
		if w == "是" || w == "有" {
			// "是绿色的吗" is answered "绿的" as well as "是绿色的", and
			// "有没有受伤" "受伤了" as well as "有": the yes that "没受伤"
			// negates. Not the modifier of a noun after 有: "您有破损的照片吗"
			// asks about photos, so "破损了" answers nothing.
			if w != "有" || i+1 != modified {
				add(i+1, "")
			}
			// "有没有人受伤" asks whether anyone is hurt: "没有受伤" and
			// "都没受伤" leave the 人 out, as "受伤了" does.
			if w == "有" && i+2 < len(rs) && (rs[i+1] == '人' || rs[i+1] == '谁') && !strings.ContainsRune("工员们", rs[i+2]) {
				add(i+2, "")
			}
		}
		i += len([]rune(w))
	}
	return zhQuestionText{clause: rs, preds: preds, modified: modified}, len(preds) > 0
}

// zhModifiedNoun reports whether rs is a noun with a modifier before it,
// "破损或缺件的照片": a 的 with more than particles after it.
func zhModifiedNoun(rs []rune) bool {
	i := slices.Index(rs, '的')
	return i > 0 && strings.TrimRight(string(rs[i+1:]), zhParticles+"了") != ""
}

func longestPrefix(s string, words []string) string {
	best := ""
	for _, w := range words {
		if len(w) > len(best) && strings.HasPrefix(s, w) {
			best = w
		}
	}
	return best
}

func runeIndex(s, sub []rune) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if slices.Equal(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// zhLastQuestion is the last question in text, cut at its commas, without
// its question particle ("好的，重启以后能上网了吗？" → "好的", "重启以后能上网了"),
// if that question asks yes or no.
func zhLastQuestion(text string) ([]string, bool) {
	type sentence struct {
		text  string
		asked bool // ends with a question mark
	}
	var sentences []sentence
	start := 0
	for i, r := range text {
		if strings.ContainsRune("。！!；;\n?？", r) {
			sentences = append(sentences, sentence{text[start:i], r == '?' || r == '？'})
			start = i + len(string(r))
		}
	}
	sentences = append(sentences, sentence{text[start:], false})
	for i := len(sentences) - 1; i >= 0; i-- {
		s := strings.TrimRightFunc(sentences[i].text, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune("呢啊呀", r)
		})
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		clauses := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
		if len(clauses) == 0 {
			continue
		}
		last := &clauses[len(clauses)-1]
		if q, ok := strings.CutSuffix(*last, "吗"); ok {
			*last = q
			return clauses, true
		}
		for _, p := range []string{"么", "嘛"} {
			// 么 asks yes or no ("好了么"), but not in 什么, 怎么, 这么.
			if q, ok := strings.CutSuffix(*last, p); ok && q != "" && !strings.ContainsAny(lastRune(q), "什怎那这多要") {
				*last = q
				return clauses, true
			}
		}
		if !sentences[i].asked {
			continue
		}
		for _, p := range []string{"了没有", "了没"} {
			if strings.HasSuffix(*last, p) {
				*last = strings.TrimSuffix(*last, p[len("了"):])
				return clauses, true
			}
		}
		if strings.Contains(s, "是否") || hasANotA(s) {
			return clauses, true
		}
		return nil, false
	}
	return nil, false
}

func lastRune(s string) string {
	_, n := utf8.DecodeLastRuneInString(s)
	return s[len(s)-n:]
}

func hasANotA(s string) bool {
	rs := []rune(s)
	for i := 0; i+2 < len(rs); i++ {
		if (rs[i+1] == '不' || rs[i+1] == '没') && rs[i] != '不' && rs[i] != '没' && (rs[i+2] == rs[i] || i >= 1 && i+3 < len(rs) && rs[i+2] == rs[i-1] && rs[i+3] == rs[i]) {
			return true
		}
	}
	return false
}

// zhAbility are the predicates of a question that asks whether the customer
// can do something ("能按时交回吗"), which any "can't" answers.
var zhAbility = []string{"能", "能够", "可以", "会", "行"}

// zhPotential reads an answer that says the customer can or cannot do it
// without echoing the question's words: a verb with 不了 or 得了 ("交不了",
// "还不了", "交得了") or after 没法 or 没办法 ("没法交回"). Such an answer
// says no or yes when the question asks whether they can, or names the verb
// ("交回" in "您能按时交回吗" or "您今天交回吗"). A few words may come before
// it ("今天交不了"), but no negation, which would turn it around.
func zhPotential(question string, q zhQuestionText, core string) (string, bool) {
	core = strings.TrimRight(core, zhParticles)
	var lead, verb, yn string
	switch {
	case strings.HasPrefix(core, "没法"), strings.HasPrefix(core, "没办法"):
		rest := strings.TrimPrefix(strings.TrimPrefix(core, "没法"), "没办法")
		rest = strings.TrimRight(rest, zhParticles+"了")
		verb, yn = rest, "no"
	default:
		// "交不了了": no longer can.
		for _, c := range []string{core, strings.TrimSuffix(core, "了")} {
			before, v := "", ""
			if b, ok := strings.CutSuffix(c, "不了"); ok {
				before, v = b, "no"
			} else if b, ok := strings.CutSuffix(c, "得了"); ok {
				before, v = b, "yes"
			} else {
				continue
			}
			rs := []rune(before)
			if len(rs) == 0 || !isCJK(rs[len(rs)-1]) {
				return "", false
			}
			lead, verb, yn = string(rs[:len(rs)-1]), string(rs[len(rs)-1]), v
			break
		}
	}
	if yn == "" || utf8.RuneCountInString(lead) > 4 || strings.ContainsAny(lead, "不没别未") || strings.ContainsAny(verb, "不没别未") {
		return "", false
	}
	asksAbility := slices.ContainsFunc(q.preds, func(p zhPredicate) bool { return slices.Contains(zhAbility, p.head) })
	if verb == "" {
		if asksAbility && yn == "no" {
			return yn, true
		}
		return "", false
	}
	// The predicate asked about, where one was found: 还 before it in
	// "您还需要吗" is not the verb of "还不了".
	asked := question
	if len(q.preds) > 0 {
		from := len(q.clause)
		for _, p := range q.preds {
			from = min(from, p.at)
		}
		asked = string(q.clause[from:])
	}
	if asksAbility || strings.Contains(asked, string([]rune(verb)[:1])) {
		return yn, true
	}
	return "", false
}
