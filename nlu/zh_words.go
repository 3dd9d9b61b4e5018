package nlu

import (
	"slices"
	"strings"
)

// Chinese messages open and pad a request as English ones do (fillers):
// "哎呀我现在牙疼得不行" asks what "我牙疼得不行" does, but its characters no
// example has counted against it, under the threshold. Where the examples
// never use them, a run's opening interjection and the padding words are
// read as if not typed.

// zhInterjections open a message: 哎呀, 唉, 嗯, 呃.
var zhInterjections = []string{"哎呀", "哎哟", "哎", "唉", "嗯嗯", "嗯", "呃", "啊", "哇"}

// zhPadding are words that say nothing of what the customer wants: 现在
// (now), 其实 (actually).
var zhPadding = []string{"现在", "其实"}

// zhWordsIn records which of the fillers and the ways of saying "move it
// to" the examples' text uses.
func zhWordsIn(text string, seen map[string]bool) {
	for _, f := range slices.Concat(zhInterjections, zhPadding, zhChangeTo) {
		if strings.Contains(text, f) {
			seen[f] = true
		}
	}
}

// withoutZhFillers drops the Chinese fillers the examples never use from the
// message's runs. It returns toks itself when it drops nothing.
func (m *Model) withoutZhFillers(toks []token) []token {
	var out []token
	for i, tk := range toks {
		if tk.kind != tokCJK {
			if out != nil {
				out = append(out, tk)
			}
			continue
		}
		text := tk.text
		for _, f := range zhInterjections {
			if rest, ok := strings.CutPrefix(text, f); ok {
				// "唉，牙疼死了": alone in its run, it goes when more follows.
				if !m.zhSeen[f] && (rest != "" || len(toks) > 1) {
					text = rest
				}
				break
			}
		}
		for _, f := range zhPadding {
			if !m.zhSeen[f] && strings.Contains(text, f) && text != f {
				text = strings.ReplaceAll(text, f, "")
			}
		}
		if text != tk.text && out == nil {
			out = append(make([]token, 0, len(toks)), toks[:i]...)
		}
		if out != nil && text != "" {
			tk.text = text
			out = append(out, tk)
		}
	}
	if out == nil {
		return toks
	}
	return out
}

// zhChangeTo are the ways of saying "move it to" a day or a time: 改到周五,
// 挪到周五, 调到下午. A message's form the examples never use reads as the
// first of them they do, so "挪到周五" scores as "改到周五" where the
// examples say 改到.
var zhChangeTo = []string{"改到", "挪到", "调到", "换到", "推迟到", "推到", "延到", "延期到", "移到"}

// readZhChangeTo rewrites the message's "move it to" the examples never use
// in the form they do. It returns toks itself when it changes nothing.
func (m *Model) readZhChangeTo(toks []token) []token {
	known := ""
	for _, f := range zhChangeTo {
		if m.zhSeen[f] {
			known = f
			break
		}
	}
	if known == "" {
		return toks
	}
	var out []token
	for i, tk := range toks {
		if tk.kind != tokCJK {
			continue
		}
		text := tk.text
		for _, f := range zhChangeTo {
			if !m.zhSeen[f] && strings.Contains(text, f) {
				text = strings.ReplaceAll(text, f, known)
			}
		}
		if text == tk.text {
			continue
		}
		if out == nil {
			out = slices.Clone(toks)
		}
		out[i].text = text
	}
	if out == nil {
		return toks
	}
	return out
}
