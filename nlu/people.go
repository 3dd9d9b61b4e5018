package nlu

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A person entity's Value is the name as written, with spaces normalised:
// "Karen", "Karen Smith", "王小明".
//
// Names are open-ended, so recognition leans on context: a word after "to",
// "for", "named", "my name is", "转账给", "叫"... that is a known first name, or
// capitalised after a phrase that can only introduce a name. A known first
// name also counts alone ("Karen" as the answer to "who to?"); PersonName
// reads a whole message as a name when a dialog has just asked for one.

// enFirstNames are common English first names, lower case.
var enFirstNames = toSet(`aaron adam adrian aidan alan albert alex alexander alexandra alice alicia alison allison amanda amy
ana andrea andrew andy angela angelina ann anna anne annie anthony antonio arthur ashley audrey austin barbara
ben benjamin beth betty beverly billy bob bobby bonnie brad bradley brandon brenda brian brittany brooke bruce bryan
caleb cameron carl carlos carmen carol caroline carolyn catherine charles charlie charlotte cheryl chloe chris christian
christina christine christopher cindy claire clara cody colin connor craig cynthia dan daniel danielle
david dean debbie deborah debra denise dennis derek diana diane donald donna doris dorothy douglas dylan ed eddie
edward eileen elaine eleanor elijah elizabeth ella ellen emily emma eric erica erin ethan eugene eva evelyn frances
fred gabriel gary george gerald gloria greg gregory hannah harold harry heather helen henry howard
ian isaac isabella jack jackie jacob jacqueline jake james jamie jane janet janice jason jean jeff jeffrey jennifer
jenny jeremy jerry jesse jessica jill jim jimmy joan joe joel john johnny jon jonathan jordan jose joseph josh joshua
joyce juan judith judy julia julie justin karen kate katherine kathleen kathryn kathy katie keith kelly ken kenneth
kevin kim kimberly kyle larry laura lauren leah lee leo linda lisa liz logan lori louis lucas lucy luis luke lynn madison
margaret maria marie marilyn martha martin mary mason matt matthew megan melissa michael michelle mike molly
monica nancy natalie nathan nicholas nick nicole noah olivia oscar pamela patricia patrick paul paula peggy
peter philip phillip rachel ralph randy raymond rebecca richard rick rita robert roger ronald roy ruby
russell ruth ryan sam samantha samuel sandra sara sarah scott sean sharon shirley sophia sophie stephanie stephen steve
steven susan tammy teresa terry theresa thomas tiffany tim timothy tina todd tom tony tracy tyler valerie vanessa
victor victoria vincent virginia walter wayne wendy william willie zachary zoe`)

// enNotNames are capitalised words that follow "to" or "for" without being
// anyone: "send it to Paris", "a refund for Amazon".
var enNotNames = toSet(`i me my you your he him his she her it its we us our they them their this that these those the a an
my mom dad mum mother father brother sister wife husband son daughter friend boss team support customer service
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september
october november december today tomorrow yesterday home work paypal visa mastercard amazon google apple bank account
savings checking everyone someone anyone nobody`)

// enNameCues are words after which a known first name is read as a person.
var enNameCues = toSet(`to for from named called with by pay paid send sent transfer transferred wire wired give gave cc
is am i'm dear hi hello hey thanks mr mrs ms miss dr`)

// enStrongCues end phrases that always introduce a name, capitalised or not
// on our list: "my name is Zed", "this is Olu", "named Xavi".
var enStrongCues = []string{"my name is", "name's", "named", "called", "this is", "i am", "i'm", "mr", "mrs", "ms", "dr"}

// zhSurnames are the common Chinese surnames; compound ones first.
var zhCompoundSurnames = []string{"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "司徒", "令狐", "夏侯"}

const zhSurnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"

// zhNameCues end phrases after which a Chinese name may follow.
var zhNameCues = []string{"转账给", "转钱给", "转给", "汇款给", "汇给", "打钱给", "付款给", "付给", "寄给", "送给", "发给", "交给", "给", "叫", "名字是", "名叫", "姓名是", "我是", "收件人是", "收件人", "收款人是", "收款人", "联系人是", "联系人", "找"}

// zhNotGiven are characters that end a name or cannot be part of one.
const zhNotGiven = "的了吗呢吧啊呀么和与跟给我你他她它们是在有转账钱元块万百千到从要想把被说这那个些还就都也又没不很太请帮"

func toSet(words string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(words) {
		out[w] = true
	}
	return out
}

// personCandidates finds person names in t (normText: norm keeps the case,
// lower is for matching).
func personCandidates(dst []candidate, t *normText) []candidate {
	add := func(start, end int) {
		name := strings.Join(strings.Fields(t.norm[start:end]), " ")
		dst = append(dst, candidate{start: start, end: end, rank: rankPerson, ent: Entity{Type: "person", Value: name}})
	}
	toks := scanTokens(nil, t.lower, nil)
	for i, tk := range toks {
		if tk.kind != tokWord {
			continue
		}
		word := tk.text
		first, _ := utf8.DecodeRuneInString(t.norm[tk.start:])
		capital := unicode.IsUpper(first)
		known := enFirstNames[word]
		cue, strong := false, false
		if i > 0 && toks[i-1].kind == tokWord && onlySpaces(t.lower[toks[i-1].end:tk.start]) {
			cue = enNameCues[toks[i-1].text]
			before := strings.TrimRight(t.lower[:tk.start], " ")
			for _, c := range enStrongCues {
				if strings.HasSuffix(before, c) && wordBoundaryBefore(before, len(before)-len(c)) {
					strong = true
				}
			}
		}
		alone := len(toks) <= 2 && i == 0 && known
		switch {
		case enNotNames[word]:
			continue
		case known && (cue || strong || alone || capital && i > 0):
		case strong && capital && isLatinWord(word):
		default:
			continue
		}
		end := tk.end
		// A surname: the next capitalised word, or any word after a name
		// the customer typed in lower case ("karen smith"), unless it is
		// a common word.
		if i+1 < len(toks) && toks[i+1].kind == tokWord && onlySpaces(t.lower[tk.end:toks[i+1].start]) {
			next := toks[i+1]
			nf, _ := utf8.DecodeRuneInString(t.norm[next.start:])
			if unicode.IsUpper(nf) && !enNotNames[next.text] && !enNameCues[next.text] && isLatinWord(next.text) && len(next.text) > 1 {
				end = next.end
			}
		}
		add(tk.start, end)
	}
	if !hasNonASCII(t.lower) {
		return dst
	}
	s := t.norm
	for _, cue := range zhNameCues {
		for from := 0; ; {
			i := strings.Index(s[from:], cue)
			if i < 0 {
				break
			}
			at := from + i + len(cue)
			from = at
			if end := zhNameAt(s, at); end > at {
				add(at, end)
			}
		}
	}
	return dst
}

// zhNameAt returns the end of a Chinese name starting at s[i:] (a surname
// and one or two given characters), or i when there is none.
func zhNameAt(s string, i int) int {
	rest := s[i:]
	j := 0
	for _, c := range zhCompoundSurnames {
		if strings.HasPrefix(rest, c) {
			j = len(c)
			break
		}
	}
	if j == 0 {
		r, n := utf8.DecodeRuneInString(rest)
		if !strings.ContainsRune(zhSurnames, r) {
			return i
		}
		j = n
	}
	given := 0
	for given < 2 && j < len(rest) {
		r, n := utf8.DecodeRuneInString(rest[j:])
		if !unicode.Is(unicode.Han, r) || strings.ContainsRune(zhNotGiven, r) {
			break
		}
		j += n
		given++
	}
	if given == 0 {
		return i
	}
	return i + j
}

func onlySpaces(s string) bool { return strings.TrimSpace(s) == "" }

// isLatinWord reports a word of letters written with spaces between words
// (not CJK), apostrophes and hyphens allowed.
func isLatinWord(w string) bool {
	for _, r := range w {
		if (!unicode.IsLetter(r) || isCJK(r)) && r != '\'' && r != '-' {
			return false
		}
	}
	return true
}

// PersonName reads a whole message as a person's name, for a slot that has
// just asked for one: one to three words of letters ("Karen", "karen smith",
// "Jean-Luc Picard"), or a Chinese surname and one to three characters
// ("王小明", "欧阳娜娜"). It returns the name with spaces normalised.
func PersonName(text string) (string, bool) {
	t := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(text), ".。!！"))
	if t == "" || utf8.RuneCountInString(t) > 40 {
		return "", false
	}
	if words := strings.Fields(t); !hasNonASCII(t) || isLatinWord(strings.Join(words, "")) {
		if len(words) > 3 {
			return "", false
		}
		for _, w := range words {
			if !isLatinWord(w) || enNotNames[strings.ToLower(w)] || yesNoWord(strings.ToLower(w)) {
				return "", false
			}
		}
		return strings.Join(words, " "), true
	}
	if n := utf8.RuneCountInString(t); n < 2 || n > 4 {
		return "", false
	}
	rest := t
	for _, c := range zhCompoundSurnames {
		if strings.HasPrefix(rest, c) {
			rest = rest[len(c):]
			break
		}
	}
	if len(rest) == len(t) {
		r, n := utf8.DecodeRuneInString(t)
		if !strings.ContainsRune(zhSurnames, r) {
			return "", false
		}
		rest = t[n:]
	}
	for _, r := range rest {
		if !unicode.Is(unicode.Han, r) || strings.ContainsRune(zhNotGiven, r) {
			return "", false
		}
	}
	return t, rest != ""
}

// yesNoWord reports words that answer a question rather than name someone.
func yesNoWord(w string) bool {
	switch w {
	case "yes", "no", "ok", "okay", "sure", "nope", "yeah", "yep", "cancel", "stop", "help":
		return true
	}
	return false
}
