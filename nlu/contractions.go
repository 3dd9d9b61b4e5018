package nlu

// A message reads an English contraction in the form the bot's examples
// use: trained on "where is my parcel", the bot reads "where's my parcel"
// (or "wheres", typed without the apostrophe) as "where is"; trained on
// "what's your return policy", it reads "what is your return policy" as
// "what's". Only a form the model never saw is rewritten, and only at parse
// time, so a message written as the examples are reads as before. Rewriting
// the examples themselves into one form (contracting or expanding) changed
// how unrelated messages scored, through the words it made shared ("what
// are your opening hours" came to match "what's your return policy"), and
// lost validation examples. "didn't" read as "did not" is still a negation.

// joinedPair maps a contraction to the two words it stands for.
var joinedPair = map[string][2]string{}

// pairJoined maps two words to their contraction.
var pairJoined = map[[2]string]string{}

// spellings maps other ways customers write a contraction to it: without the
// apostrophe where that is no other word ("cant", "im", "wheres", but not
// "its", "were", "ill", "well", "id", "hes"), or as one word ("cannot").
var spellings = map[string]string{"cannot": "can't", "aint": "ain't"}

func init() {
	add := func(joined, first, second string) {
		joinedPair[joined] = [2]string{first, second}
		pairJoined[[2]string{first, second}] = joined
	}
	for _, v := range []string{"do", "did", "does", "is", "was", "are", "were", "have", "has", "had",
		"would", "could", "should", "must", "need"} {
		add(v+"n't", v, "not")
		if v != "need" && v != "must" {
			spellings[v+"nt"] = v + "n't"
		}
	}
	add("can't", "can", "not")
	add("won't", "will", "not")
	spellings["cant"], spellings["wont"] = "can't", "won't"
	for _, w := range []string{"what", "where", "who", "how", "when", "why", "it", "that", "there", "here", "he", "she"} {
		add(w+"'s", w, "is")
	}
	for _, w := range []string{"what", "where", "who", "how", "that", "there"} {
		spellings[w+"s"] = w + "'s"
	}
	add("i'm", "i", "am")
	spellings["im"] = "i'm"
	// Chat forms of two words, read like contractions: "I wanna top up"
	// scored as a message of unknown words, under the threshold, beside
	// the examples' "I want to".
	add("wanna", "want", "to")
	add("gonna", "going", "to")
	add("gimme", "give", "me")
	add("lemme", "let", "me")
	// "'re", "'ve", "'ll" and "'d" are left as written: read as "I have",
	// "I've just moved house" lost the bot's "I moved" to "I have a
	// question", and "'d" is "would" or "had".
	spellings["youre"], spellings["theyre"] = "you're", "they're"
	spellings["ive"], spellings["youve"], spellings["theyve"] = "i've", "you've", "they've"
}

// readContractions rewrites each contraction among toks, and each two words
// a contraction stands for, that the model never saw as written, in the form
// it did see. It returns toks itself when it changes nothing.
func (m *Model) readContractions(toks []token) []token {
	var out []token // nil until something changes
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		var second *token
		switch w := tk.text; {
		case tk.kind != tokWord:
		case spellings[w] != "" || joinedPair[w] != [2]string{}:
			if m.knowsText(w) {
				break
			}
			joined := w
			if s := spellings[w]; s != "" {
				joined = s
			}
			if pair := joinedPair[joined]; m.knowsText(joined) || pair == [2]string{} {
				tk.text = joined
			} else if m.knowsPair(pair[0], pair[1]) {
				tail := tk
				tk.text, tail.text, tail.clause = pair[0], pair[1], false
				second = &tail
			}
		case i+1 < len(toks) && toks[i+1].kind == tokWord && !toks[i+1].clause:
			joined := pairJoined[[2]string{w, toks[i+1].text}]
			if joined != "" && !m.knowsPair(w, toks[i+1].text) && m.knowsText(joined) {
				tk.text, tk.end = joined, toks[i+1].end
				if out == nil {
					out = append(make([]token, 0, len(toks)), toks[:i]...)
				}
				out = append(out, tk)
				i++
				continue
			}
		}
		if out == nil && (tk.text != toks[i].text || second != nil) {
			out = append(make([]token, 0, len(toks)+4), toks[:i]...)
		}
		if out != nil {
			out = append(out, tk)
			if second != nil {
				out = append(out, *second)
			}
		}
	}
	if out == nil {
		return toks
	}
	return out
}

// knowsText reports whether w was a word of the training examples.
func (m *Model) knowsText(w string) bool {
	h, _ := m.feat.wordHashes(w)
	return m.knowsWord(h)
}

// knowsPair reports whether the training examples had the words a, b in a row.
func (m *Model) knowsPair(a, b string) bool {
	ha, _ := m.feat.wordHashes(a)
	hb, _ := m.feat.wordHashes(b)
	_, ok := m.vec.vocab[((ha*31+hb)^saltBigram)&^flagBits|wordFeature]
	return ok
}

// fillers are words customers open or pad a request with that say nothing
// of what they want: "actually just get me an agent". A word the model
// never saw counts against a message's score, so each took an otherwise
// clear request toward the threshold ("get me an agent" 0.61, with
// "actually just" 0.41).
var fillers = map[string]bool{
	"actually": true, "basically": true, "honestly": true, "literally": true, "seriously": true,
	"anyway": true, "anyways": true, "just": true, "um": true, "umm": true, "uh": true, "erm": true, "hmm": true,
}

// withoutFillers drops the fillers among toks that the model never saw, as
// if the customer had not typed them; one its examples use is read as
// written. It returns toks itself when it drops nothing.
func (m *Model) withoutFillers(toks []token) []token {
	var out []token // nil until something is dropped
	for i, tk := range toks {
		if tk.kind == tokWord && fillers[tk.text] && !m.knowsText(tk.text) {
			if out == nil {
				out = append(make([]token, 0, len(toks)), toks[:i]...)
			}
			if i+1 < len(toks) && tk.clause {
				// The clause break before the filler stays with the next word.
				toks[i+1].clause = true
			}
			continue
		}
		if out != nil {
			out = append(out, tk)
		}
	}
	if out == nil {
		return toks
	}
	return out
}
