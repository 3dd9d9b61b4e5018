package nlu

import (
	"slices"
	"strings"
	"unicode"
)

// An English yes-or-no question starts with an auxiliary ("Is the light
// green?", "Did you restart it?"), and a short answer repeats it with a
// pronoun for the subject: "it is", "I did", "it doesn't". The answer may
// go on with words of the question ("it's green", "I restarted it", "it
// works now"), never with others ("it's red" is no echo of "green").

// enAuxFamilies group the auxiliaries a question may open with; an answer
// echoes one of the same family ("did you…" "I have" counts as well).
var enAuxFamilies = map[string]string{
	"is": "be", "are": "be", "was": "be", "were": "be", "am": "be",
	"do": "do", "does": "do", "did": "do",
	"have": "have", "has": "have", "had": "have",
	"can": "can", "could": "can",
	"will": "will", "would": "will",
	"should": "should",
}

// enAnswerFamilies are the families that answer a question of each family.
var enAnswerFamilies = map[string][]string{
	"be":     {"be"},
	"do":     {"do", "have"},
	"have":   {"have", "do"},
	"can":    {"can"},
	"will":   {"will"},
	"should": {"should"},
}

// enLeadIns may come before a question's auxiliary: "OK, is it green now?"
var enLeadIns = map[string]bool{"so": true, "and": true, "ok": true, "okay": true, "now": true, "then": true, "great": true, "thanks": true, "alright": true, "also": true, "well": true}

// enOpeners are a yes or no (or a filler) said before the echo.
var enOpeners = map[string]string{
	"yes": "yes", "yeah": "yes", "yep": "yes", "yup": "yes", "ya": "yes", "sure": "yes",
	"no": "no", "nope": "no", "nah": "no",
	"oh": "", "well": "", "um": "", "uh": "", "hmm": "", "ok": "", "okay": "",
}

// enAdverbs may stand anywhere in a short answer without changing it.
var enAdverbs = map[string]bool{
	"still": true, "now": true, "already": true, "just": true, "really": true, "definitely": true,
	"certainly": true, "actually": true, "indeed": true, "finally": true, "yet": true, "again": true,
}

var enPronouns = map[string]bool{
	"i": true, "you": true, "we": true, "they": true, "he": true, "she": true, "it": true, "that": true, "this": true, "there": true,
}

// enObjects stand for what the question named: "did you restart the router?" "I restarted it".
var enObjects = map[string]bool{"it": true, "them": true, "that": true, "this": true, "one": true}

// enQualifiers make an answer more than yes or no.
var enQualifiers = map[string]bool{"but": true, "though": true, "although": true, "however": true, "except": true, "maybe": true, "perhaps": true, "probably": true}

type enQuestion struct {
	family   string
	pronouns map[string]bool // what the answer calls the subject
	words    []string        // the question after its auxiliary
	tail     []string        // words, without adverbs at the end
}

func echoEn(question, answer string) (string, bool) {
	q, ok := parseEnQuestion(question)
	if !ok {
		return "", false
	}
	clauses := enClauses(answer, q.family)
	opener := ""
	var core []string
	for _, c := range clauses {
		for _, w := range c {
			if enQualifiers[w] {
				return "", false
			}
		}
	}
	for len(clauses) > 0 && core == nil {
		c := clauses[0]
		clauses = clauses[1:]
		for len(c) > 0 {
			v, isOpener := enOpeners[c[0]]
			if !isOpener {
				break
			}
			if v != "" {
				opener = v
			}
			c = c[1:]
		}
		if len(c) > 0 {
			core = c
		}
	}
	if core == nil {
		return "", false
	}
	more := slices.ContainsFunc(clauses, func(c []string) bool {
		return slices.ContainsFunc(c, func(w string) bool { return !enCourtesies[w] })
	})
	switch strings.Join(core, " ") {
	case "i think so", "i believe so", "think so":
		return settle(opener, false), more
	case "i do not think so", "i do not believe so", "not yet", "still not":
		return "no", more
	}
	yn := q.read(core, opener)
	return yn, more && yn != ""
}

// enCourtesies may follow an echo without saying more: "it is, thanks".
var enCourtesies = map[string]bool{
	"thanks": true, "thank": true, "you": true, "very": true, "so": true, "much": true, "a": true, "lot": true,
	"please": true, "ok": true, "okay": true, "great": true, "cheers": true,
}

// read parses [pronoun] [aux] [not] [rest], with adverbs anywhere.
func (q enQuestion) read(core []string, opener string) string {
	var ws []string
	for _, w := range core {
		if !enAdverbs[w] {
			ws = append(ws, w)
		}
	}
	pronoun := len(ws) > 0 && q.pronouns[ws[0]]
	if pronoun {
		ws = ws[1:]
	} else if len(ws) > 0 && enPronouns[ws[0]] {
		// "I'm not sure" does not answer "is the light green?".
		return ""
	}
	aux := ""
	if len(ws) > 0 && enAuxFamilies[ws[0]] != "" {
		aux = ws[0]
		ws = ws[1:]
	}
	negated := len(ws) > 0 && ws[0] == "not"
	if negated {
		ws = ws[1:]
	} else if pronoun && q.pronouns["there"] && enAuxFamilies[aux] == "be" && len(ws) > 1 && ws[0] == "no" {
		// "Is there a lift?" "there's no lift": no before the noun negates.
		negated = true
		ws = ws[1:]
	}
	switch {
	case aux != "" && slices.Contains(enAnswerFamilies[q.family], enAuxFamilies[aux]):
		// "it is", "I didn't", "it's green", "still doesn't": without a
		// pronoun only a negation ("doesn't") is an answer, not a bare "is".
		if !pronoun && !negated || !q.echoes(ws, enAuxFamilies[aux] == "be") {
			return ""
		}
	case aux != "" && enAuxFamilies[aux] == "be" && q.family == "do" && len(ws) > 0 && q.progressive(ws[0]):
		// "does it work?" "it's working", "it's not working".
		if !pronoun && !negated || !q.echoes(ws[1:], false) {
			return ""
		}
	case aux == "" && negated && len(ws) > 0 && q.progressive(ws[0]):
		// "still not working".
		if !q.objects(ws[1:]) {
			return ""
		}
	case aux == "" && !negated && pronoun && len(ws) > 0 && (q.family == "do" || q.family == "have") && q.verb(ws[0]):
		// "it works now", "I restarted it".
		if !q.objects(ws[1:]) {
			return ""
		}
	default:
		return ""
	}
	return settle(opener, negated)
}

// echoes reports whether the words after the auxiliary repeat the question:
// nothing, the end of a be-question ("it's green" to "is the light green?"),
// or its verb and object ("I restarted it").
func (q enQuestion) echoes(ws []string, be bool) bool {
	if len(ws) == 0 {
		return true
	}
	if be && len(ws) <= len(q.tail) && slices.Equal(ws, q.tail[len(q.tail)-len(ws):]) {
		return true
	}
	if be && q.pronouns["there"] && len(ws) == 1 && ws[0] == "one" {
		return true // "there is one", "there isn't one": one stands for the noun
	}
	if be {
		return false
	}
	if !slices.ContainsFunc(ws, func(w string) bool { return !enObjects[w] }) {
		return true // "I did it"
	}
	return q.verb(ws[0]) && q.objects(ws[1:])
}

// objects reports whether the words after an echoed verb are the question's
// own, or a pronoun for them.
func (q enQuestion) objects(ws []string) bool {
	for _, w := range ws {
		if !enObjects[w] && !slices.ContainsFunc(q.words, func(qw string) bool { return sameStem(w, qw) }) {
			return false
		}
	}
	return true
}

// verb reports whether w is a form of a word of the question after its
// subject ("works" for "does it work"), not a small word.
func (q enQuestion) verb(w string) bool {
	if enSmallWords[w] {
		return false
	}
	for _, qw := range q.words[1:] {
		if !enSmallWords[qw] && sameStem(w, qw) {
			return true
		}
	}
	return false
}

// progressive reports whether w is the -ing form of a verb of the question.
func (q enQuestion) progressive(w string) bool {
	return strings.HasSuffix(w, "ing") && q.verb(w)
}

var enSmallWords = map[string]bool{
	"the": true, "a": true, "an": true, "your": true, "my": true, "our": true, "their": true, "its": true,
	"on": true, "in": true, "at": true, "to": true, "of": true, "for": true, "with": true, "from": true,
	"it": true, "you": true, "i": true, "we": true, "they": true, "me": true, "us": true, "that": true, "this": true,
	"and": true, "or": true, "any": true, "some": true, "there": true, "be": true, "been": true,
}

// sameStem compares words up to a regular ending: work, works, worked, working.
func sameStem(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	for _, suf := range []string{"s", "es", "ed", "d", "ing"} {
		if a == b+suf {
			return true
		}
	}
	// restart/restarting, close/closing.
	return strings.HasSuffix(b, "e") && (a == b[:len(b)-1]+"ing" || a == b[:len(b)-1]+"ed")
}

// parseEnQuestion reads the last question in text, if it asks yes or no.
func parseEnQuestion(text string) (enQuestion, bool) {
	text = strings.TrimSpace(text)
	end := strings.LastIndex(text, "?")
	if end < 0 {
		return enQuestion{}, false
	}
	start := strings.LastIndexAny(text[:end], ".!?\n") + 1
	words := enWords(text[start:end])
	for len(words) > 0 && enLeadIns[words[0]] {
		words = words[1:]
	}
	if len(words) < 2 || alternative(words) || negated(words) {
		return enQuestion{}, false
	}
	fam := enAuxFamilies[words[0]]
	if fam == "" || words[0] == "am" || words[0] == "had" {
		return enQuestion{}, false
	}
	q := enQuestion{family: fam, words: words[1:]}
	switch words[1] {
	case "you":
		q.pronouns = map[string]bool{"i": true, "we": true}
	case "i":
		q.pronouns = map[string]bool{"you": true}
	case "we":
		q.pronouns = map[string]bool{"we": true, "you": true}
	case "there":
		q.pronouns = map[string]bool{"there": true}
	case "not":
		return enQuestion{}, false
	default:
		q.pronouns = map[string]bool{"it": true, "they": true, "he": true, "she": true, "that": true, "this": true}
	}
	q.tail = q.words
	for len(q.tail) > 0 && (enAdverbs[q.tail[len(q.tail)-1]] || q.tail[len(q.tail)-1] == "please") {
		q.tail = q.tail[:len(q.tail)-1]
	}
	return q, true
}

// alternative reports whether a question offers a choice ("submit it or
// change the amount?"): "I want to change the amount" echoes its words, yet
// says the other choice, not yes. "…or not?" still asks yes or no.
func alternative(words []string) bool {
	i := slices.Index(words, "or")
	return i >= 0 && !(i == len(words)-2 && words[i+1] == "not")
}

// negated reports whether a question asks about a "not" ("Should I not
// submit it?"): "you should" to it means do not, so it is not read, as a
// Chinese negative question ("还没收到吗") is not. "…or not?" is no negation.
func negated(words []string) bool {
	for i, w := range words {
		not := w == "not" || w == "never" || strings.HasSuffix(w, "n't") || strings.HasSuffix(w, "n’t")
		orNot := i > 0 && i == len(words)-1 && words[i-1] == "or"
		if not && !orNot {
			return true
		}
	}
	return false
}

func enWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
}

// enClauses splits an answer at its punctuation into words, with
// contractions spelled out: "it's" is "it is", or "it has" after a
// have-question; "doesn't" is "does not".
func enClauses(answer, family string) [][]string {
	s := strings.ToLower(strings.ReplaceAll(answer, "’", "'"))
	var out [][]string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",;.!:…", r) }) {
		var ws []string
		for _, w := range enWords(part) {
			ws = append(ws, expandContraction(w, family)...)
		}
		if len(ws) > 0 {
			out = append(out, ws)
		}
	}
	return out
}

var enNegatives = map[string][]string{
	"can't": {"can", "not"}, "cannot": {"can", "not"}, "won't": {"will", "not"}, "ain't": {"is", "not"},
}

func expandContraction(w, family string) []string {
	if ws, ok := enNegatives[w]; ok {
		return ws
	}
	if w == "theres" {
		return []string{"there", "is"} // typed without its apostrophe
	}
	if base, ok := strings.CutSuffix(w, "n't"); ok && base != "" {
		return []string{base, "not"}
	}
	base, suffix, ok := strings.Cut(w, "'")
	if !ok || base == "" {
		return []string{w}
	}
	switch suffix {
	case "s":
		if family == "have" {
			return []string{base, "has"}
		}
		return []string{base, "is"}
	case "re":
		return []string{base, "are"}
	case "m":
		return []string{base, "am"}
	case "ve":
		return []string{base, "have"}
	case "ll":
		return []string{base, "will"}
	case "d":
		switch family {
		case "do":
			return []string{base, "did"}
		case "have":
			return []string{base, "had"}
		}
		return []string{base, "would"}
	}
	return []string{w}
}
