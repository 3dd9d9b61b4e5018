package nlu

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

type yesNoPhrase struct {
	text, value string
	// strict CJK phrases are also common word parts (好 in 你好, 对 in 对不起,
	// 可以 in 可以退货吗), so they count only when followed by a pause.
	strict bool
}

var yesNoPhrases = sortByLengthDesc([]yesNoPhrase{
	{"yes", "yes", false}, {"yeah", "yes", false}, {"yep", "yes", false}, {"yup", "yes", false}, {"yea", "yes", false},
	{"sure", "yes", false}, {"ok", "yes", false}, {"okay", "yes", false}, {"correct", "yes", false}, {"right", "yes", false},
	{"that's right", "yes", false}, {"that is right", "yes", false}, {"that's correct", "yes", false},
	{"go ahead", "yes", false}, {"please do", "yes", false}, {"of course", "yes", false}, {"absolutely", "yes", false},
	{"definitely", "yes", false}, {"sounds good", "yes", false}, {"alright", "yes", false}, {"all right", "yes", false},
	{"confirm", "yes", false}, {"confirmed", "yes", false}, {"do it", "yes", false}, {"no problem", "yes", false},
	{"affirmative", "yes", false}, {"y", "yes", false},
	{"no", "no", false}, {"nope", "no", false}, {"nah", "no", false}, {"don't", "no", false}, {"do not", "no", false},
	{"not now", "no", false}, {"no thanks", "no", false}, {"no thank you", "no", false}, {"not really", "no", false},
	{"negative", "no", false}, {"n", "no", false}, {"no way", "no", false},
	{"是", "yes", true}, {"是的", "yes", false}, {"对", "yes", true}, {"对的", "yes", false}, {"好", "yes", true},
	{"好的", "yes", false}, {"可以", "yes", true}, {"行", "yes", true}, {"确认", "yes", false}, {"没问题", "yes", false},
	{"嗯嗯", "yes", true}, {"当然", "yes", false}, {"同意", "yes", false}, {"确定", "yes", true},
	{"不", "no", true}, {"不是", "no", false}, {"不要", "no", true}, {"不用", "no", false}, {"不需要", "no", false}, {"不对", "no", false},
	{"否", "no", true}, {"取消", "no", false}, {"不行", "no", false}, {"不可以", "no", false}, {"算了", "no", false},
	// "not for now": as common a no as 不用 at a confirmation.
	{"先不用", "no", false}, {"先不要", "no", false}, {"暂时不用", "no", false}, {"暂时不需要", "no", false},
})

func sortByLengthDesc(ps []yesNoPhrase) []yesNoPhrase {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && len(ps[j].text) > len(ps[j-1].text); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
	return ps
}

var leadingFillers = []string{"oh ", "well ", "um ", "uh ", "hmm ", "嗯，", "嗯,", "哦，", "哦,", "额，", "呃，"}

const cjkParticles = "啊呀吧的了呢哦嘛啦"

// yesNoCandidates finds a yes or no that opens the message ("yes please",
// "no, it's CD654321", "好的谢谢"). Further into a message these words rarely
// answer a question ("is that right", "no idea where it is").
func yesNoCandidates(dst []candidate, s string) []candidate {
	i := 0
	for {
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsSpace(r) && !unicode.IsPunct(r) {
				break
			}
			i += n
		}
		trimmed := false
		for _, f := range leadingFillers {
			if strings.HasPrefix(s[i:], f) {
				i += len(f)
				trimmed = true
				break
			}
		}
		if !trimmed {
			break
		}
	}
	rest := s[i:]
	for _, p := range yesNoPhrases {
		if !strings.HasPrefix(rest, p.text) {
			continue
		}
		after := rest[len(p.text):]
		last, _ := utf8.DecodeLastRuneInString(p.text)
		if isWordRune(last) && !wordBoundaryAfter(rest, len(p.text)) {
			continue
		}
		if p.strict && !pauseFollows(after) {
			continue
		}
		return append(dst, candidate{start: i, end: i + len(p.text), rank: rankYesNo, ent: Entity{Type: "yes_no", Value: p.value}})
	}
	return dst
}

// pauseFollows reports whether a CJK word ends here: end of text, punctuation,
// a space, a Latin word, or a particle followed by one of those.
func pauseFollows(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	if strings.ContainsRune(cjkParticles, r) {
		s = s[n:]
		r, _ = utf8.DecodeRuneInString(s)
	}
	return s == "" || !isCJK(r) || strings.HasPrefix(s, "谢谢")
}

// ---- cancel ----

var cancelFillers = map[string]bool{
	"oh": true, "ok": true, "okay": true, "please": true, "pls": true, "just": true, "then": true, "thanks": true,
	"thank": true, "you": true, "well": true, "um": true, "uh": true, "hmm": true, "so": true, "sorry": true,
	"anyway": true, "anyways": true, "the": true, "whole": true, "thing": true, "that": true, "this": true,
	"it": true, "all": true, "about": true, "no": true, "actually": true, "lol": true,
}

var cancelPhrasesEN = map[string]bool{
	"cancel": true, "never mind": true, "nevermind": true, "nvm": true, "forget": true, "stop": true,
	"quit": true, "exit": true, "abort": true, "don't bother": true, "skip": true, "leave": true, "cancel request": true,
	"scrap": true, "ditch": true,
}

// reDropTaskEN is the task dropped by name: "forget the quote", "scrap
// that booking", "drop the whole thing". It takes the, that or this, so
// "forget my password" stays a request, and no cancel verb, so "cancel the
// booking" asks to cancel one (an intent) rather than drop the dialog.
var reDropTaskEN = regexp.MustCompile(`^(?:(?:oh|ok|okay|well|um|so|no|actually|just|sorry)\W+)*(?:forget|scrap|ditch|drop)\s+(?:about\s+)?(?:the|that|this)(?:\s+[a-z]+){1,2}(?:\s+(?:then|please|thanks))?$`)

var cancelPhrasesZh = map[string]bool{
	"算了": true, "算了算了": true, "取消": true, "不办了": true, "不要了": true, "不弄了": true, "不买了": true,
	"不退了": true, "不改了": true, "不查了": true, "退出": true, "停止": true, "别弄了": true, "不需要了": true,
	"不想要了": true, "不想办了": true, "取消吧": true, "算了吧": true, "那算了": true, "那就算了": true, "还是算了": true,
	"不搞了": true, "不用办了": true,
}

// isCancel reports whether the message is essentially a cancel command:
// "never mind", "ok forget it", "算了，不要了". "cancel my order" is not: it
// names something, so it is left to the intents.
func isCancel(s string) bool {
	if len(s) > 80 {
		return false
	}
	found := false
	for _, seg := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsPunct(r) && r != '\'' || unicode.IsSymbol(r) }) {
		switch cancelSegment(strings.TrimSpace(seg)) {
		case segmentCancel:
			found = true
			continue
		case segmentFiller, segmentRestated:
			continue
		}
		if !strings.ContainsRune(seg, ' ') {
			return false
		}
		// "算了 不洗了": Chinese customers pause with a space too. The
		// first word that is none of these ends it, so most messages read
		// one word here.
		for w := range strings.FieldsSeq(seg) {
			switch cancelSegment(w) {
			case segmentCancel:
				found = true
			case segmentFiller, segmentRestated:
			default:
				return false
			}
		}
	}
	return found
}

// cancelsFirst reports a message that opens with a cancel and goes on with
// something else: "算了，不退了，帮我查下FN100001", "never mind, where is my
// order?". The opening is whole segments, each a cancel phrase or a filler,
// ended by punctuation or, between Chinese words, a space; no entity may lie
// in it ("不想要了" can be a refund reason). rest is the byte offset in the
// original text where the request after the opening starts.
func cancelsFirst(t *normText, entities []Entity) (rest int, ok bool) {
	s := t.lower
	if len(s) > 200 {
		return 0, false
	}
	found := false
	start := 0
	for start < len(s) {
		end := start
		for end < len(s) {
			r, size := utf8.DecodeRuneInString(s[end:])
			if unicode.IsPunct(r) && r != '\'' || unicode.IsSymbol(r) || r == ' ' && (isCJK(lastRuneOf(s[start:end])) || isCJK(firstRune(s[end+size:]))) {
				break
			}
			end += size
		}
		seg := strings.TrimSpace(s[start:end])
		switch kind := cancelSegment(seg); {
		case kind == segmentCancel && end < len(s) && s[end] == ' ' && zhCancelVerbs[seg]:
			// "取消 DC100003", "取消 明天的预约": a space after a verb
			// that takes an object is no pause, and what follows is what
			// is cancelled, not another request.
			return 0, false
		case kind == segmentCancel:
			found = true
		case kind == segmentFiller || kind == segmentRestated:
		case found:
			// The rest is the request. The opening must hold no value but
			// the yes or no its cancel word reads as ("算了" is a no).
			cut := t.offs[start]
			for _, e := range entities {
				if e.Start < cut && e.Type != "yes_no" {
					return 0, false
				}
			}
			return cut, true
		default:
			return 0, false
		}
		if end == len(s) {
			break
		}
		_, size := utf8.DecodeRuneInString(s[end:])
		start = end + size
	}
	return 0, false
}

// zhCancelVerbs are the Chinese cancel words that also take an object: 取消
// alone drops the task, 取消预约 asks to cancel a booking.
var zhCancelVerbs = map[string]bool{"取消": true, "退出": true, "停止": true}

func lastRuneOf(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

const (
	segmentOther = iota
	segmentCancel
	segmentFiller
	// segmentRestated says again what a cancel next to it says, in the
	// words of the task dropped: the 不洗了 of "算了，不洗了", the "I don't
	// need it anymore" of "never mind, I don't need it anymore". Alone it
	// is no cancel: "不亮了" answers "灯还亮着吗？".
	segmentRestated
)

// reRestatedZh is 不 and a verb of one to three characters before 了, with
// the modal or adverb customers put before it: 不洗了, 先不寄了, 不用来了,
// 不需要上门了.
var reRestatedZh = regexp.MustCompile(`^(?:我|那|那就|就|还是)?(?:先|暂时|就)?不(?:想|用|要|需要|打算)?再?\p{Han}{1,3}了[吧啊呀哈]?$`)

// reRestatedEN is "I don't need it anymore" once cancelSegment has dropped
// its small words ("it", "that").
var reRestatedEN = regexp.MustCompile(`^(?:i )?(?:don't|dont|do not) (?:need|want)(?: (?:any ?more|now))?$`)

// cancelSegment tells what one segment of a message is, as isCancel reads it.
func cancelSegment(seg string) int {
	joined := withoutFillers(seg)
	switch {
	case joined == "":
		return segmentFiller
	case cancelPhrasesEN[joined] || cancelPhrasesZh[strings.TrimRight(joined, "啊呀哦嘛")] || mayDropTask(seg) && reDropTaskEN.MatchString(seg):
		return segmentCancel
	case joined == "谢谢" || joined == "好" || joined == "好吧" || joined == "嗯":
		return segmentFiller
	case mayRestateZh(joined) && reRestatedZh.MatchString(joined) || mayRestateEN(joined) && reRestatedEN.MatchString(joined):
		return segmentRestated
	}
	return segmentOther
}

// withoutFillers is seg's words but the cancel fillers, one space apart. It
// runs on every segment of every message, so a segment already in that form
// (most are) comes back as it is, without a copy.
func withoutFillers(seg string) string {
	n := 0
	for w := range strings.FieldsSeq(seg) {
		if cancelFillers[w] {
			n = -1
			break
		}
		n += len(w) + 1
	}
	if n == 0 {
		return ""
	}
	if n == len(seg)+1 && !strings.ContainsFunc(seg, func(r rune) bool { return r != ' ' && unicode.IsSpace(r) }) {
		return seg
	}
	var b strings.Builder
	b.Grow(len(seg))
	for w := range strings.FieldsSeq(seg) {
		if !cancelFillers[w] {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
	}
	return b.String()
}

// The checks below spare most messages the regexps after them: each holds a
// word its regexp cannot match without.

func mayDropTask(seg string) bool {
	return strings.Contains(seg, "forget") || strings.Contains(seg, "scrap") ||
		strings.Contains(seg, "ditch") || strings.Contains(seg, "drop")
}

func mayRestateZh(s string) bool {
	return strings.Contains(s, "不") && strings.Contains(s, "了")
}

func mayRestateEN(s string) bool {
	return strings.Contains(s, "need") || strings.Contains(s, "want")
}

// ---- correction ----

var (
	reCorrectionEN = regexp.MustCompile(`(?:^|[,.;:!?]\s*)(?:(?:oh|um|uh|hm+|er|erm|ah|wait|sorry|no|nope)\W+)*` +
		`(?:actually|i meant|i mean|correction|make (?:it|that)|change (?:it|that) to|i said|` +
		`(?:sorry|no|nope|wait|oops)\W+(?:it's|it is|it was|its|i meant))\b` +
		// "no, 400" and "sorry, 400" (the number alone after the no, as
		// 不对，400), and "400 actually": the number said again, corrected.
		`|^(?:no|nope|sorry|oops)[,.!]?\s+[£$€¥]?\d[\d,.]*[a-z]*\W*$|\d[\d,.]*[a-z]*\s+actually\W*$` +
		// "no wait, PS100150", "no, hold on, the posters": a pause after
		// the no takes it back, whatever value follows, as 不对 does.
		`|^(?:(?:oh|um|uh|sorry)\W+)*(?:no|nope)\W+(?:wait|hang on|hold on)\W+\w`)
	reNotButEN     = regexp.MustCompile(`\bnot\s+[^,.!?;]{1,40}?,?\s+but\s+\w`)
	reCorrectionZh = regexp.MustCompile(`不对|应该是|其实是|改成|改为|我是说|我的意思是|说错了|搞错了|更正一下|纠正一下|不是[^，,。！？!?]{1,20}[，,]?而?是|^不是[，,。\s]+(?:应该)?是`)
	// "no wait, 1200": the no and a pause word before the number.
	reNoThenValueEN = regexp.MustCompile(`^(?:(?:oh|um|uh|sorry)\W+)*(?:no|nope|wrong)(?:\W+(?:wait|sorry))?[\s,.;:!-]+(?:(?:it's|it is|its|make it)\s+)?[¥$£€]?\s?[0-9][0-9,.]*\s?(?:k|yuan|rmb|kuai|元|块|dollars|bucks|pounds)?\W*$`)
	correctionHints = []string{"actually", "mean", "correction", "make", "change", "said", "sorry", "no", "wait", "oops", "not", "wrong"}
)

// notThenNew reports "not X, Y" ("Not Tuesday, Wednesday", "not 3, 4
// please", "不是周二，周三"): the correction "not X but Y" without its "but"
// or 是. It takes a message that opens with not and a value, then after a
// comma another value of that type, and ends there but for a measure word or
// a please. "not Tuesday" alone is a rejection, and "not sure, maybe
// Tuesday" no correction: it names one value.
func notThenNew(text string, ents []Entity) bool {
	var vals []Entity
	for _, e := range ents {
		if e.Type != "yes_no" {
			vals = append(vals, e)
		}
	}
	if len(vals) != 2 || vals[0].Type != vals[1].Type || vals[0].Value == vals[1].Value ||
		vals[0].Start < 0 || vals[0].End > vals[1].Start || vals[1].End > len(text) {
		return false
	}
	opening := strings.ToLower(strings.TrimSpace(text[:vals[0].Start]))
	for _, no := range []string{"no", "nope", "不对"} {
		if rest, ok := strings.CutPrefix(opening, no); ok && strings.ContainsRune(" ,.!，。！", firstRune(rest)) {
			opening = strings.TrimLeft(rest, " ,.!，。！")
		}
	}
	if opening != "not" && opening != "不是" {
		return false
	}
	between := text[vals[0].End:vals[1].Start]
	measure, rest, ok := strings.Cut(between, ",")
	if !ok {
		measure, rest, ok = strings.Cut(between, "，")
	}
	if !ok || strings.TrimSpace(rest) != "" || !shortWord(measure) {
		return false
	}
	after := strings.ToLower(strings.TrimRight(text[vals[1].End:], " .!。！"))
	return shortWord(after) || slices.Contains([]string{" please", " pls", " thanks", " thank you", "谢谢", "吧"}, after)
}

// shortWord reports a measure word after a number ("个", "天") or nothing.
func shortWord(s string) bool {
	s = strings.TrimSpace(s)
	return utf8.RuneCountInString(s) <= 2 && strings.IndexFunc(s, func(r rune) bool { return !isCJK(r) }) < 0
}

// isCorrection reports a message that replaces a value given earlier:
// "actually it's CD654321", "not Monday but Tuesday", "不对，应该是…".
func isCorrection(s string) bool {
	if hasNonASCII(s) && reCorrectionZh.MatchString(s) {
		return true
	}
	hinted := false
	for _, h := range correctionHints {
		if strings.Contains(s, h) {
			hinted = true
			break
		}
	}
	return hinted && (reCorrectionEN.MatchString(s) || reNotButEN.MatchString(s) || reNoThenValueEN.MatchString(s))
}

// ---- negated values ----

// reNotBeforeEN is "not" just before a value ("not Wednesday", "no, not
// 500", "not on Monday"), but not in "why not", "or not" or "if not",
// which want it or hold it first choice.
var reNotBeforeEN = regexp.MustCompile(`(?i)(?:^|[^a-z])(why |or |if )?not(?:\s+(?:on|for|at|by))?\s*$`)

// hasNotASCII reports whether s holds "not" in any case. No other rune
// folds to n, o or t, so a byte scan answers what reNotBeforeEN's (?i) asks.
func hasNotASCII(s string) bool {
	for i := 0; i+3 <= len(s); i++ {
		if s[i]|0x20 == 'n' && s[i+1]|0x20 == 'o' && s[i+2]|0x20 == 't' {
			return true
		}
	}
	return false
}

// markNegated marks the values a message says the customer does not want:
// "not Wednesday", "不是周三", "不要周三". "是不是周三" and "不是周三吗" ask
// whether it is Wednesday, and "why not Wednesday" wants it. In "not
// Tuesday, Wednesday" only Tuesday is marked.
func markNegated(text string, ents []Entity) {
	for i := range ents {
		e := &ents[i]
		if e.Type == "yes_no" || e.Start < 0 || e.End > len(text) || e.Start > e.End {
			continue
		}
		before := strings.TrimRight(text[:e.Start], " ")
		// The regexp needs a "not", which most messages lack.
		if hasNotASCII(before) {
			if m := reNotBeforeEN.FindStringSubmatch(before); m != nil {
				e.Negated = m[1] == ""
				continue
			}
		}
		after := strings.TrimLeft(text[e.End:], " ")
		for _, no := range []string{"不是", "不要"} {
			rest, ok := strings.CutSuffix(before, no)
			if !ok {
				continue
			}
			// 是不是 and 要不要 ask, and so does a 吗 after the value.
			verb := no[len("不"):]
			asked := strings.HasSuffix(rest, verb) || strings.HasPrefix(after, "吗") || strings.HasPrefix(after, "嘛")
			e.Negated = !asked
		}
	}
}
