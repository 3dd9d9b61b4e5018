package dialog

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/policies"
)

// The automatic handoff summary: what an agent taking over reads first. It
// tells the session from its log (SessionLog): the dialogs with their values
// and how they ended, what calls found, the rules and approvals, how often
// the bot failed to understand, an upset customer, and why it handed off.
// The request for a person itself is left out: the agent knows it, being
// there. It is in the language the bot's agents read, which bots do not
// declare: their default language (the first of languages). The customer's
// own words are quoted as they wrote them, and a dialog is named by the title
// the analyst wrote for it in the conversation's language, the words the bot
// used with this customer (its HCL name only when it has none).

// summaryPhrases are the summary's words in one language.
type summaryPhrases struct {
	atOnce, noTask                      string // no dialog, call or rule, no failure
	completed, cancelled, open          string // a dialog, by how it ended
	values, said                        string
	why                                 map[string]string // why a dialog was cancelled
	callFound, callOK, callNotFound     string
	callDown, callRejected, callFailed  string
	rule, amount, approval, asked       string
	decisions                           map[string]string
	misreadOnce, misread, misreadQuoted string
	upset, reason                       string
	sep, stop, listSep                  string
}

var summaryEN = summaryPhrases{
	atOnce:    "The handoff came at the customer's first message, before the bot did anything.",
	noTask:    "The customer sent %d messages; the bot started no task.",
	completed: "Completed %s",
	cancelled: "Abandoned %s",
	open:      "Was in %s",
	values:    " (%s)",
	said:      `, asked as %q`,
	why: map[string]string{
		"retries_exhausted": "; its answers were not accepted",
		"call_failed":       "; a call failed",
		"declined":          "; the customer said no",
	},
	callFound:    "Call %s: %s",
	callOK:       "Call %s answered",
	callNotFound: "Call %s: not found",
	callDown:     "Call %s failed: the system was unavailable",
	callRejected: "Call %s was rejected",
	callFailed:   "Call %s failed (%s)",
	rule:         "Rule %s applied",
	amount:       " (amount %s)",
	approval:     "Sent for approval: %s",
	asked:        "Also asked for %s, not handled yet",
	decisions:    map[string]string{"approved": "approved", "rejected": "rejected", "expired": "expired"},
	misreadOnce:  "The bot failed to understand the customer once",
	misread:      "The bot failed to understand the customer %d times",
	// misreadQuoted follows either, with the last message not understood.
	misreadQuoted: `; last: %q`,
	upset:         "The customer seems upset.",
	reason:        "Reason: %s.",
	sep:           " ", stop: ".", listSep: ", ",
}

var summaryZH = summaryPhrases{
	atOnce:    "客户第一条消息即转人工，机器人尚未办理任何事。",
	noTask:    "客户共发了 %d 条消息，机器人未办理任何业务。",
	completed: "已完成 %s",
	cancelled: "已放弃 %s",
	open:      "进行中 %s",
	values:    "（%s）",
	said:      "，客户原话：“%s”",
	why: map[string]string{
		"retries_exhausted": "；多次回答无效",
		"call_failed":       "；调用失败",
		"declined":          "；客户拒绝确认",
	},
	callFound:     "调用 %s：%s",
	callOK:        "调用 %s 已返回",
	callNotFound:  "调用 %s：未找到",
	callDown:      "调用 %s 失败：系统不可用",
	callRejected:  "调用 %s 被拒绝",
	callFailed:    "调用 %s 失败（%s）",
	rule:          "已执行规则 %s",
	amount:        "（金额 %s）",
	approval:      "已提交审批：%s",
	asked:         "还要办%s，尚未处理",
	decisions:     map[string]string{"approved": "已批准", "rejected": "已拒绝", "expired": "已过期"},
	misreadOnce:   "机器人有 1 次未能理解客户",
	misread:       "机器人有 %d 次未能理解客户",
	misreadQuoted: "，最后一次：“%s”",
	upset:         "客户情绪不满。",
	reason:        "转人工原因：%s。",
	sep:           "", stop: "。", listSep: "，",
}

// SummaryLanguage is the language of the automatic handoff summary: the
// bot's default language, which its agents read.
func SummaryLanguage(bot *policies.Bot) string {
	if bot == nil || len(bot.Languages) == 0 {
		return "en"
	}
	return bot.Languages[0]
}

func phrasesFor(lang string) summaryPhrases {
	if lang == "zh" || strings.HasPrefix(lang, "zh-") {
		return summaryZH
	}
	return summaryEN
}

// summaryShare is what the summary may tell besides what the bot did: the
// collected values and the customer's words stay out of it when the
// handoff does not share them (share without "slots" or "transcript").
type summaryShare struct{ values, words bool }

// summarize is the automatic summary of a handoff for reason (a handoff
// policy's or rule's name) after the session log, in a conversation in lang
// ("": not known yet).
func summarize(bot *policies.Bot, log *SessionLog, reason, lang string, share summaryShare) string {
	p := phrasesFor(SummaryLanguage(bot))
	title := func(dialog string) string {
		if bot == nil {
			return dialog
		}
		return or(bot.DialogTitle(dialog, or(lang, SummaryLanguage(bot))), dialog)
	}
	if log == nil {
		log = &SessionLog{}
	}
	var parts []string
	sentence := func(s string) { parts = append(parts, s+p.stop) }
	for _, n := range log.Notes {
		sentence(p.note(n, share, title))
	}
	switch {
	case log.NotUnderstood > 0:
		s := p.misreadOnce
		if log.NotUnderstood > 1 {
			s = fmt.Sprintf(p.misread, log.NotUnderstood)
		}
		if share.words && log.Misread != "" {
			s += p.quote(p.misreadQuoted, log.Misread)
		}
		sentence(s)
	case len(log.Notes) == 0 && log.Messages <= 1:
		parts = append(parts, p.atOnce)
	case len(log.Notes) == 0:
		parts = append(parts, fmt.Sprintf(p.noTask, log.Messages))
	}
	if log.Sentiment <= negativeSentiment {
		parts = append(parts, p.upset)
	}
	if why := strings.TrimRight(strings.TrimSpace(or(handoffDescription(bot, reason), reason)), ".。"); why != "" {
		parts = append(parts, fmt.Sprintf(p.reason, why))
	}
	return strings.Join(parts, p.sep)
}

// note is one thing the bot did; title names a dialog.
func (p summaryPhrases) note(n SessionNote, share summaryShare, title func(string) string) string {
	switch n.Kind {
	case noteDialog:
		format := p.open
		switch n.Status {
		case "completed":
			format = p.completed
		case "cancelled":
			format = p.cancelled
		}
		s := fmt.Sprintf(format, title(n.Name))
		if share.values && len(n.Slots) > 0 {
			var kv []string
			for _, k := range sortedKeys(n.Slots) {
				kv = append(kv, k+" "+n.Slots[k])
			}
			s += fmt.Sprintf(p.values, strings.Join(kv, p.listSep))
		}
		if share.words && n.Said != "" {
			s += p.quote(p.said, n.Said)
		}
		if n.Status == "cancelled" {
			s += p.why[n.Why]
		}
		return s
	case noteCall:
		switch n.Status {
		case "":
			if n.Found != "" {
				return fmt.Sprintf(p.callFound, n.Name, n.Found)
			}
			return fmt.Sprintf(p.callOK, n.Name)
		case "not_found":
			return fmt.Sprintf(p.callNotFound, n.Name)
		case "unavailable", "timeout":
			return fmt.Sprintf(p.callDown, n.Name)
		case "rejected":
			return fmt.Sprintf(p.callRejected, n.Name)
		default:
			return fmt.Sprintf(p.callFailed, n.Name, n.Status)
		}
	case noteRule:
		s := fmt.Sprintf(p.rule, n.Name)
		if n.Amount != nil {
			s += fmt.Sprintf(p.amount, strconv.FormatFloat(*n.Amount, 'f', -1, 64))
		}
		return s
	case noteAsked:
		s := fmt.Sprintf(p.asked, title(n.Name))
		if share.words && n.Said != "" {
			s += p.quote(p.said, n.Said)
		}
		return s
	case noteApproval:
		s := fmt.Sprintf(p.approval, strings.TrimRight(n.Found, ".。"))
		if d := or(p.decisions[n.Status], n.Status); d != "" {
			s += fmt.Sprintf(p.values, d)
		}
		return s
	}
	return n.Kind + " " + n.Name
}

// quote puts the customer's words into format as they wrote them: the
// English format quotes with %q, which would escape Chinese characters.
func (p summaryPhrases) quote(format, words string) string {
	if strings.Contains(format, "%q") {
		return strings.Replace(format, "%q", `"`+strings.ReplaceAll(words, `"`, `'`)+`"`, 1)
	}
	return fmt.Sprintf(format, words)
}

// handoffDescription is what the bot's author wrote about the handoff policy
// or rule named reason.
func handoffDescription(bot *policies.Bot, reason string) string {
	if bot == nil || reason == "" {
		return ""
	}
	for _, h := range bot.Handoffs {
		if h != nil && h.Name == reason {
			return h.Description
		}
	}
	for _, r := range bot.Rules {
		if r != nil && r.Name == reason {
			return r.Description
		}
	}
	return ""
}
