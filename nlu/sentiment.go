package nlu

import (
	"math"
	"strings"
	"unicode/utf8"
)

// The sentiment scorer follows VADER (Hutto & Gilbert, 2014) in spirit: word
// valences from -4 to 4, negation flips and damps, intensifiers and ALL CAPS
// and exclamation marks add magnitude, and the sum is squashed into [-1, 1].

var sentimentEN = map[string]float64{
	// negative
	"angry": -3, "furious": -3.2, "mad": -2.2, "annoyed": -2, "annoying": -2, "irritated": -2, "frustrated": -2.3,
	"frustrating": -2.3, "upset": -2, "disappointed": -2.2, "disappointing": -2.2, "unhappy": -2.2, "sad": -1.8,
	"terrible": -2.5, "horrible": -2.6, "awful": -2.6, "worst": -3.1, "bad": -2, "poor": -1.8, "useless": -2.5,
	"ridiculous": -2.2, "scam": -3, "scammer": -3, "scammers": -3, "fraud": -3, "cheat": -2.8, "cheated": -2.8, "liar": -3,
	"liars": -3, "lied": -2.6, "lying": -2.4, "pathetic": -2.8, "incompetent": -2.8, "unacceptable": -2.8,
	"disgusting": -3, "disgrace": -2.8, "shameful": -2.6, "hate": -2.9, "hated": -2.8, "sucks": -2.5, "suck": -2.3,
	"crap": -2.5, "crappy": -2.5, "shit": -2.8, "shitty": -2.8, "damn": -1.8, "wtf": -3, "stupid": -2.4, "idiot": -2.8,
	"idiots": -2.8, "rude": -2.3, "slow": -1.2, "late": -1, "broken": -1.5, "damaged": -1.5, "wrong": -1.4, "fail": -2,
	"failed": -2, "failure": -2.2, "problem": -1.3, "problems": -1.3, "issue": -0.8, "issues": -0.8, "complaint": -1.8,
	"complain": -1.8, "refuse": -1.2, "refused": -1.4, "lost": -1.3, "missing": -1.2, "nightmare": -3,
	"joke": -1.2, "waste": -2.2, "wasted": -2.2, "garbage": -2.8, "trash": -2.6, "rubbish": -2.6, "outrageous": -2.8,
	"outraged": -3, "livid": -3.2, "sick": -1.6, "tired": -1.2, "hopeless": -2.4, "worse": -2.3, "ugh": -1.8,
	"unbelievable": -1.5, "insane": -1.8, "nonsense": -2, "ripoff": -2.8, "sue": -2.2, "lawyer": -1.2,
	"disappointment": -2.3, "regret": -2, "worried": -1.6, "confused": -1, "confusing": -1.3, "difficult": -1.2,
	"impossible": -1.6, "inconvenient": -1.6, "careless": -1.8, "delay": -1.2, "delayed": -1.4, "unreliable": -2,
	"dissatisfied": -2.3, "hell": -2.2, "rip": -0.5, "dreadful": -2.6, "fed": -0.5, "mess": -2, "screwed": -2.5,
	// profanity and insults: in a support chat they are anger, whatever
	// they qualify ("a fucking human agent")
	"fuck": -3.4, "fucking": -3.2, "fuckin": -3.2, "fucked": -3.2, "fck": -3.2, "fking": -3, "bullshit": -3.2,
	"goddamn": -2.8, "pissed": -2.8, "asshole": -3.4, "assholes": -3.4, "bitch": -3.2, "bastard": -3.2,
	"bastards": -3.2, "moron": -3, "morons": -3, "dumb": -2.4, "stfu": -3.2, "thief": -3, "thieves": -3,
	"ripped": -2.4, "clown": -2.4, "clowns": -2.6, "deaf": -1.6, "worthless": -2.8, "shameless": -2.8,
	"kidding": -1.5, "robbery": -3, "robbed": -2.8, "stole": -2.6, "stolen": -2,
	// positive
	"good": 1.9, "great": 3.1, "excellent": 3.2, "amazing": 3.1, "awesome": 3.1, "fantastic": 3.2, "wonderful": 3.1,
	"perfect": 3, "love": 3.2, "loved": 2.9, "like": 1.5, "nice": 1.8, "happy": 2.7, "glad": 2, "pleased": 2.2,
	"satisfied": 1.9, "helpful": 1.9, "thanks": 1.9, "thank": 1.5, "appreciate": 2, "appreciated": 2,
	"brilliant": 2.8, "best": 3.2, "fast": 1.2, "quick": 1.1, "easy": 1.5, "smooth": 1.4, "cool": 1.3, "fine": 0.8,
	"super": 2.2, "lovely": 2.8, "kind": 1.8, "friendly": 2.2, "impressed": 2.3, "recommend": 1.5, "resolved": 1.5,
	"solved": 1.5, "well": 0.5, "yay": 2.4, "delighted": 3, "grateful": 2.6, "superb": 3, "outstanding": 3,
}

var phrasesEN = map[string]float64{
	"waste of time": -3, "waste of money": -3, "rip off": -3, "ripped off": -3, "not working": -2,
	"doesn't work": -2, "does not work": -2, "nothing works": -2, "never again": -2.5, "piece of crap": -3.5, "fed up": -2.5,
	"what the hell": -2.5, "thank you": 2, "well done": 2.5, "this is ridiculous": -2.8, "no help": -2,
	"worst service": -3.4, "customer service sucks": -3,
	"screw you": -3.4, "fuck you": -3.8, "fuck this": -3.6, "are you kidding me": -2.8, "you kidding me": -2.6,
	"stopped working": -2, "hard to use": -1.8, "didn't show up": -1.8, "did not show up": -1.8,
	"doesn't fit": -1.2, "been waiting": -1.4, "second time": -1.2, "third time": -2, "sick and tired": -3.2,
	"had it": -1.5, "pissed off": -3, "ripped me off": -3.2, "piece of shit": -3.8,
}

// profanityEN are the words that make a message angry whatever else it
// says (see sentiment: they floor the score).
var profanityEN = map[string]bool{
	"fuck": true, "fucking": true, "fuckin": true, "fucked": true, "fck": true, "fking": true, "bullshit": true,
	"shit": true, "shitty": true, "asshole": true, "assholes": true, "bitch": true, "bastard": true, "bastards": true,
	"stfu": true, "wtf": true, "goddamn": true, "moron": true, "morons": true, "idiot": true, "idiots": true,
}

// secondPersonEN are the words that aim a negative word at the bot or the
// shop ("you are useless", "your service is garbage"): hostility, weighed more.
var secondPersonEN = map[string]bool{"you": true, "you're": true, "your": true, "u": true, "ur": true, "youre": true}

// phraseLastWords lets the scorer skip phrase lookups for most words.
var phraseLastWords = func() map[string]bool {
	out := map[string]bool{}
	for p := range phrasesEN {
		out[p[strings.LastIndexByte(p, ' ')+1:]] = true
	}
	return out
}()

var negatorsEN = map[string]bool{
	"not": true, "no": true, "never": true, "don't": true, "doesn't": true, "didn't": true, "isn't": true,
	"wasn't": true, "aren't": true, "won't": true, "can't": true, "cannot": true, "couldn't": true,
	"wouldn't": true, "hardly": true, "nothing": true, "without": true, "weren't": true, "haven't": true, "hasn't": true,
}

var intensifiersEN = map[string]float64{
	"very": 0.293, "so": 0.293, "really": 0.293, "extremely": 0.4, "absolutely": 0.35, "totally": 0.3,
	"completely": 0.3, "incredibly": 0.35, "super": 0.3, "too": 0.2, "such": 0.25, "utterly": 0.35,
	"most": 0.25, "quite": 0.1, "complete": 0.3, "absolute": 0.35, "total": 0.3, "slightly": -0.293, "somewhat": -0.293, "kinda": -0.2, "little": -0.2,
}

var sentimentZh = map[string]float64{
	// negative
	"垃圾": -3, "太差": -3, "差": -2, "很差": -2.6, "差劲": -2.6, "气死": -3.2, "气死了": -3.2, "生气": -2.5, "愤怒": -3,
	"骗子": -3.2, "骗人": -3, "欺骗": -3, "投诉": -2.4, "不好": -2, "糟糕": -2.6, "烂": -2.5, "失望": -2.3,
	"太失望": -2.8, "恶心": -2.8, "无语": -2, "离谱": -2.5, "坑": -2.2, "坑人": -2.8, "忽悠": -2.4, "没用": -2.2,
	"废物": -3, "什么玩意": -2.8, "破": -1.2, "慢": -1.2, "太慢": -2, "烦": -2, "烦死了": -2.8, "郁闷": -2, "难受": -2,
	"讨厌": -2.6, "可恶": -2.8, "过分": -2.4, "太过分": -2.8, "不满": -2.2, "不满意": -2.3, "差评": -2.6, "退钱": -1,
	"坏了": -1.5, "问题": -0.8, "麻烦": -1, "着急": -1.5, "急死": -2.4, "态度差": -2.8, "不靠谱": -2.3, "骗": -2.4,
	"滚": -3.2, "傻": -2.5, "白痴": -3.2, "吐槽": -1.5, "崩溃": -2.6, "欺负": -2.4, "黑心": -3, "无良": -3, "耍": -1.5,
	"受够了": -3, "后悔": -2, "错": -1, "糟透了": -3.2, "最差": -3.2, "最烂": -3.2, "报警": -3,
	// positive
	"好": 1.5, "很好": 2.2, "不错": 2, "满意": 2, "很满意": 2.6, "谢谢": 1.8, "感谢": 2, "多谢": 1.8, "棒": 2.5,
	"太棒了": 3.2, "太好了": 3, "喜欢": 2.2, "开心": 2.5, "高兴": 2.5, "方便": 1.5, "快": 1, "专业": 1.8,
	"优秀": 2.8, "完美": 3, "赞": 2.4, "点赞": 2.4, "给力": 2.4, "好评": 2.6, "贴心": 2.4, "耐心": 1.8,
	"热情": 2, "周到": 2, "靠谱": 2, "好用": 2, "划算": 1.8, "辛苦了": 1.5, "感动": 2.2, "厉害": 2,
	"好的": 0.3, "你好": 0, "您好": 0, "好吗": 0, "好了": 0.3, "还好": 0.5,
	"好久": -1.2, "好像": 0, "好几": 0, "好多": 0, "好用吗": 0,
	// 差 in a word of its own that means a difference or a trip, not "bad":
	// "退差价" asks for a partial refund, "差不多" is "about".
	"差价": 0, "差额": 0, "差不多": 0, "差点": 0, "相差": 0, "出差": 0, "时差": 0,
	// profanity, insults and threats
	"他妈的": -3.6, "妈的": -3.4, "我操": -3.2, "操你": -3.6, "草泥马": -3.6, "傻逼": -3.6, "傻b": -3.4, "煞笔": -3.4,
	"去死": -3.6, "滚蛋": -3.2, "狗屎": -3.2, "狗屁": -3.2, "屁用": -3, "什么破": -3, "破玩意": -3, "破机器人": -3,
	"脑残": -3.2, "智障": -3.2, "混蛋": -3.2, "王八蛋": -3.6, "神经病": -3.2, "有病": -2.8, "卧槽": -3, "我靠": -2.8,
	"尼玛": -3.2, "你妈": -3.4, "骗钱": -3.2, "黑店": -3.2, "奸商": -3.2, "坑爹": -3.2, "什么鬼": -2.6, "曝光": -3,
	"起诉": -3, "律师": -2, "一群骗子": -3.4, "没人回复": -1.8, "没人理": -2.4, "没人管": -2.4, "看不懂": -1.2,
	"划痕": -1.2, "没到账": -1.5, "怎么还没": -1.6, "第二次了": -1.2, "第三次": -2, "听不懂": -1.5,
}

// Damage and emergencies are bad news, however calmly told ("the pipe
// burst", "厨房漏水了"), but no anger: together they score at most
// maxDamage, which stays above the angry band (-0.6) that bots route to a
// human in a hurry, unless angry words come with them. The noun "leak" is
// left out: "how do I report a leak?" asks.
var (
	damageEN = map[string]float64{
		"burst": -2, "flooded": -2.2, "flooding": -2, "leaking": -1.8, "leaked": -1.6, "leaks": -1.5,
		"smashed": -2, "shattered": -2, "cracked": -1.5, "destroyed": -2.5, "ruined": -2.4, "disaster": -2.8,
		"emergency": -2, "burnt": -1.6, "collapsed": -2.2, "dented": -1.3, "soaked": -1.3,
		"gas leak": -2.5, "water everywhere": -1.5, "on fire": -2.8, "caught fire": -2.8,
	}
	damageZh = map[string]float64{
		"漏水": -1.8, "渗水": -1.6, "爆了": -2, "爆管": -2, "水管爆": -2.2, "摔碎": -2, "碎了": -1.8, "摔坏": -1.8,
		"淹了": -2.2, "被淹": -2.2, "进水": -1.5, "着火": -2.8, "起火": -2.8, "漏电": -2.5, "漏气": -2.2, "裂了": -1.5,
		"损坏": -1.5, "塌了": -2.5, "一团糟": -2.5,
	}
)

// emergencyServiceEN name a service after "emergency", which then tells of no
// emergency.
var emergencyServiceEN = map[string]bool{
	"number": true, "numbers": true, "contact": true, "contacts": true, "line": true, "hotline": true,
	"phone": true, "service": true, "services": true, "exit": true, "exits": true, "kit": true,
	"plumber": true, "plumbers": true, "electrician": true, "appointment": true, "appointments": true, "cover": true,
}

// maxDamage is the most damage words add up to: -0.53 alone.
const maxDamage = 2.4

func init() {
	for w, v := range damageEN {
		if i := strings.LastIndexByte(w, ' '); i >= 0 {
			phrasesEN[w] = v
			phraseLastWords[w[i+1:]] = true
		} else {
			sentimentEN[w] = v
		}
	}
	for w, v := range damageZh {
		sentimentZh[w] = v
	}
}

var negatorsZh = []string{"没有", "不是", "不", "没", "别", "无", "未"}

// profanityZh, like profanityEN, makes a message angry.
var profanityZh = []string{"他妈", "妈的", "我操", "操你", "草泥马", "傻逼", "傻b", "煞笔", "去死", "滚蛋", "狗屎", "狗屁",
	"脑残", "智障", "王八蛋", "卧槽", "尼玛", "你妈", "垃圾", "混蛋", "白痴"}

var intensifiersZh = map[string]float64{
	"非常": 0.35, "太": 0.35, "很": 0.25, "特别": 0.3, "超级": 0.35, "超": 0.3, "极其": 0.4, "十分": 0.3,
	"真的": 0.25, "真": 0.25, "好": 0.25, "相当": 0.25, "实在": 0.25, "简直": 0.35, "最": 0.3, "有点": -0.25,
}

const maxZhWordRunes = 4

// sentiment scores toks (the message's words and CJK runs) with raw, the
// message as written, for exclamation marks and capitals.
func sentiment(raw string, toks []token) float64 {
	var scores, damage []float64
	profane := false
	butIndex := -1
	wordIdx := 0
	var words []token
	for _, tk := range toks {
		if tk.kind == tokWord {
			words = append(words, tk)
		}
	}
	for _, tk := range toks {
		switch tk.kind {
		case tokCJK:
			text := wasteZh.Replace(tk.text)
			vals, dmg := scoreChinese(text)
			scores, damage = append(scores, vals...), append(damage, dmg...)
			for _, p := range profanityZh {
				profane = profane || strings.Contains(text, p)
			}
		case tokWord:
			i := wordIdx
			wordIdx++
			w := tk.text
			if w == "but" || w == "however" {
				butIndex = len(scores)
				continue
			}
			v, ok := 0.0, false
			key := w   // the word or phrase scored
			first := i // the first word of the phrase or word scored
			// Phrases of up to four words ending here.
			for n := 4; n >= 2 && !ok && phraseLastWords[w]; n-- {
				if i-n+1 < 0 {
					continue
				}
				parts := make([]string, 0, n)
				for _, p := range words[i-n+1 : i+1] {
					parts = append(parts, p.text)
				}
				if pv, found := phrasesEN[strings.Join(parts, " ")]; found {
					v, ok, first, key = pv, true, i-n+1, strings.Join(parts, " ")
					// The phrase replaces its own words' scores.
					for k := 0; k < n-1 && len(scores) > 0; k++ {
						scores = scores[:len(scores)-1]
					}
				}
			}
			if !ok {
				v, ok = sentimentEN[w]
				if wasteEN[w] && householdWasteEN(words, i) {
					v = 0
				}
				// "I'd like to", "would like": a request, not a liking.
				if w == "like" && i > 0 && (words[i-1].text == "would" || strings.HasSuffix(words[i-1].text, "'d")) {
					v = 0
				}
				// "your emergency number", "an emergency plumber": a service
				// asked about, no emergency told.
				if w == "emergency" && i+1 < len(words) && emergencyServiceEN[words[i+1].text] {
					v = 0
				}
			}
			if profanityEN[w] {
				profane = true
			}
			if !ok || v == 0 {
				scores = append(scores, 0)
				continue
			}
			aimed := false
			for k := 1; k <= 3 && first-k >= 0; k++ {
				// A negator or intensifier reaches no further than its own
				// clause: in "nothing works, terrible service" the
				// "nothing" does not make "terrible" praise.
				if clauseBreak(raw, words[first-k].end, words[first-k+1].start) {
					break
				}
				prev := words[first-k].text
				if d, ok := intensifiersEN[prev]; ok {
					v += math.Copysign(d, v)
				}
				if negatorsEN[prev] {
					v *= -0.74
					break
				}
				aimed = aimed || secondPersonEN[prev]
			}
			if aimed && v < 0 {
				v *= 1.5
			}
			orig := raw[:0]
			if tk.end <= len(raw) {
				orig = raw[tk.start:tk.end]
			}
			// Shouting: a sentiment word in capitals ("TERRIBLE").
			if len(orig) > 2 && strings.ToUpper(orig) == orig && strings.ToLower(orig) != orig {
				v += math.Copysign(0.733, v)
			}
			if _, ok := damageEN[key]; ok {
				damage = append(damage, v)
				v = 0
			}
			scores = append(scores, v)
		}
	}
	harm := 0.0
	for _, d := range damage {
		harm += d
	}
	sum := 0.0
	for i, s := range scores {
		if butIndex >= 0 {
			if i < butIndex {
				s *= 0.5
			} else {
				s *= 1.5
			}
		}
		sum += s
	}
	// Exclamation marks stress the feeling words, not the damage: "my
	// kitchen is flooded!!!" is urgent news, and read as angry it went to a
	// human in a hurry as an angry customer.
	if sum != 0 {
		bangs := min(strings.Count(raw, "!"), 4)
		sum += math.Copysign(0.292*float64(bangs), sum)
	}
	sum += max(harm, -maxDamage)
	score := math.Max(-1, math.Min(1, sum/math.Sqrt(sum*sum+15)))
	// Swearing or an insult makes the message angry, whatever else it
	// says: a bot's "sentiment <= -0.6" must catch it.
	if profane {
		score = min(score, profanityScore)
	}
	return score
}

// 垃圾, rubbish and garbage are insults ("垃圾服务", "your service is
// garbage"), but also the household waste tenants ask about ("垃圾哪天收",
// "when is the rubbish collected?"): there they carry no sentiment.
var wasteZh = func() *strings.Replacer {
	var pairs []string
	for _, p := range []string{
		"垃圾桶", "垃圾箱", "垃圾袋", "垃圾站", "垃圾房", "垃圾车", "垃圾费", "垃圾分类", "垃圾回收", "垃圾清运",
		"倒垃圾", "扔垃圾", "丢垃圾", "收垃圾", "清垃圾", "运垃圾", "放垃圾", "生活垃圾", "厨余垃圾", "干垃圾",
		"湿垃圾", "有害垃圾", "回收垃圾", "装修垃圾", "建筑垃圾", "大件垃圾",
		"垃圾哪", "垃圾什么时候", "垃圾几点", "垃圾每", "垃圾周", "垃圾要", "垃圾放", "垃圾扔", "垃圾收", "垃圾怎么分",
	} {
		pairs = append(pairs, p, strings.Replace(p, "垃圾", "〇〇", 1))
	}
	return strings.NewReplacer(pairs...)
}()

var wasteEN = map[string]bool{"rubbish": true, "garbage": true, "trash": true}

var wasteNounsEN = map[string]bool{
	"bin": true, "bins": true, "can": true, "cans": true, "bag": true, "bags": true, "collection": true,
	"collected": true, "collect": true, "day": true, "days": true, "chute": true, "room": true, "pickup": true,
	"truck": true, "disposal": true, "area": true, "recycling": true, "go": true, "goes": true,
}

var wasteVerbsEN = map[string]bool{
	"put": true, "take": true, "taking": true, "throw": true, "collect": true, "collects": true, "dispose": true,
	"empty": true, "leave": true, "sort": true, "separate": true, "recycle": true, "dump": true, "bring": true,
}

// householdWasteEN tells whether words[i], a waste word, names household
// waste: a waste noun follows it ("rubbish collection", "trash day"), or a
// waste verb comes before it ("put the garbage out", "take out the trash").
func householdWasteEN(words []token, i int) bool {
	if i+1 < len(words) && wasteNounsEN[words[i+1].text] {
		return true
	}
	for k := 1; k <= 3 && i-k >= 0; k++ {
		if wasteVerbsEN[words[i-k].text] {
			return true
		}
	}
	return false
}

// clauseBreak reports whether raw[from:to], the text between two words,
// ends a clause: a comma, a full stop, a colon, a semicolon, a question or
// an exclamation mark, in English or Chinese punctuation.
func clauseBreak(raw string, from, to int) bool {
	if from < 0 || to > len(raw) || from >= to {
		return false
	}
	return strings.ContainsAny(raw[from:to], ",.;:!?，。；：！？")
}

// profanityScore is the highest score of a message with profanity in it.
const profanityScore = -0.7

// scoreChinese matches the lexicon greedily (longest word first) within a
// CJK run, applying a negator or intensifier seen just before a word.
func scoreChinese(s string) (out, damage []float64) {
	negated := false
	boost := 0.0
	sinceModifier := 0
	for i := 0; i < len(s); {
		if v, n := longestZh(s[i:], sentimentZh); n > 0 {
			// 好 before a sentiment word is an intensifier ("好差"), not praise.
			if d, m := longestZhIntensifier(s[i:]); m > 0 && m >= n {
				if _, next := longestZh(s[i+m:], sentimentZh); next > 0 {
					boost += d
					i += m
					sinceModifier = 0
					continue
				}
			}
			if v != 0 {
				v += math.Copysign(boost, v)
				if negated {
					v *= -0.74
				}
			}
			if _, ok := damageZh[s[i:i+n]]; ok {
				damage = append(damage, v)
			} else {
				out = append(out, v)
			}
			negated, boost = false, 0
			i += n
			continue
		}
		if d, m := longestZhIntensifier(s[i:]); m > 0 {
			boost += d
			i += m
			sinceModifier = 0
			continue
		}
		// 是不是 and 是否 ask; they do not negate what follows.
		if strings.HasPrefix(s[i:], "是不是") || strings.HasPrefix(s[i:], "是否") {
			i += len("是不")
			continue
		}
		matchedNeg := false
		for _, neg := range negatorsZh {
			if strings.HasPrefix(s[i:], neg) {
				negated, matchedNeg = true, true
				i += len(neg)
				sinceModifier = 0
				break
			}
		}
		if matchedNeg {
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
		sinceModifier++
		if sinceModifier > 2 {
			negated, boost = false, 0
		}
	}
	return out, damage
}

func longestZh(s string, lex map[string]float64) (float64, int) {
	end := 0
	bestV, bestN := 0.0, 0
	for k := 0; k < maxZhWordRunes && end < len(s); k++ {
		_, n := utf8.DecodeRuneInString(s[end:])
		end += n
		if v, ok := lex[s[:end]]; ok {
			bestV, bestN = v, end
		}
	}
	return bestV, bestN
}

func longestZhIntensifier(s string) (float64, int) { return longestZh(s, intensifiersZh) }
