package dialog

import (
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/parleyhq/parley/policies"
)

// builtinText is what the bot says when the bot's own files say nothing. Keyed by
// language; other languages get English.
var builtinText = map[string]map[string]string{
	"cancelled": {
		"en": "OK, I've cancelled that.",
		"zh": "好的，已取消。",
	},
	"finish_first": {
		"en": "Let's finish this first, then I'll help with that.",
		"zh": "我们先把这件事办完，然后再帮您处理那个。",
	},
	"error": {
		"en": "Sorry, something went wrong. Please try again in a moment.",
		"zh": "抱歉，出了点问题，请稍后再试。",
	},
	"not_understood": {
		"en": "Sorry, I didn't get that. Could you say it another way?",
		"zh": "抱歉，我没有理解。能换个说法吗？",
	},
	"invalid": {
		"en": "Sorry, that doesn't look right. Could you try again?",
		"zh": "抱歉，格式好像不对，请再试一次。",
	},
	"confirm": {
		"en": "Shall I go ahead?",
		"zh": "确认继续吗？",
	},
	"prompt": {
		"en": "Could you tell me the %s?",
		"zh": "请提供%s。",
	},
	"what_else": {
		"en": "Sure, what can I help you with?",
		"zh": "好的，请问有什么可以帮您？",
	},
	"source": {
		"en": "Source: %s",
		"zh": "来源：%s",
	},
	"anything_else": {
		"en": "OK. I'm here if you need anything else.",
		"zh": "好的，有需要随时找我。",
	},
	// Said for "no" at a confirmation without on_no: nothing was done, which
	// must not read as if something (an order) was cancelled.
	"not_done": {
		"en": "OK, I won't go ahead with that.",
		"zh": "好的，那就先不办理了。",
	},
	// Said when a slot without on_exhausted ran out of attempts, in a bot
	// whose replies give no error message.
	"gave_up": {
		"en": "Sorry, I couldn't use those answers, so I've left %s for now. What else can I help you with?",
		"zh": "抱歉，几次回答都没能确认，%s先不办了。还有什么可以帮您？",
	},
	"switch": {
		"en": "We haven't finished %s yet. Switch to %s?",
		"zh": "%s还没办完，要先处理%s吗？",
	},
	"resume": {
		"en": "Shall we carry on with %s?",
		"zh": "要继续%s吗？",
	},
	"dropped": {
		"en": "OK, I've left %s. What else can I help you with?",
		"zh": "好的，%s先不办了。还有什么可以帮您？",
	},
	"back_to": {
		"en": "Back to %s: ",
		"zh": "回到%s：",
	},
	"also_to": {
		"en": "Now your other request: %s.",
		"zh": "接下来办您的另一件事：%s。",
	},
	"also": {
		"en": "Now your other request.",
		"zh": "接下来办您的另一件事。",
	},
	"back": {
		"en": "Back to where we were: ",
		"zh": "回到刚才的问题：",
	},
	"this_title": {
		"en": "what we were doing",
		"zh": "刚才的事情",
	},
	"that_title": {
		"en": "that",
		"zh": "那件事",
	},
	"next_title": {
		"en": "your new request",
		"zh": "新的问题",
	},
	"yes": {
		"en": "Yes",
		"zh": "是",
	},
	"no": {
		"en": "No",
		"zh": "不用了",
	},
}

func builtin(key, lang string) string {
	texts := builtinText[key]
	if t, ok := texts[lang]; ok {
		return t
	}
	return texts["en"]
}

// knowledgeText is the built-in reply for a knowledge answer: the answer, then
// where it comes from, so the customer can tell it is quoted from the shop's
// own documents.
func knowledgeText(k *KnowledgeAnswer, lang string) string {
	text := strings.TrimSpace(k.Text)
	if title := strings.TrimSpace(k.Title); title != "" {
		text += "\n\n" + fmt.Sprintf(builtin("source", lang), title)
	}
	return text
}

// ConversationLanguage is the language the bot speaks with the customer in
// st: the last one they wrote in that the bot speaks, else its default.
func ConversationLanguage(bot *policies.Bot, st State) string {
	return language(bot, st.Language, "")
}

// language resolves the language of a message: the NLU's guess when the bot speaks
// it, else the language so far, else the bot's default.
func language(bot *policies.Bot, current, detected string) string {
	if detected != "" && slices.Contains(bot.Languages, detected) {
		return detected
	}
	if current != "" {
		return current
	}
	if len(bot.Languages) > 0 {
		return bot.Languages[0]
	}
	return "en"
}

// variants picks the templates of msg for lang: that language's, else the ones for
// every language, else the default language's, else any (in a stable order).
func variants(bot *policies.Bot, texts map[string][]hcl.Expression, lang string) []hcl.Expression {
	if v := texts[lang]; len(v) > 0 {
		return v
	}
	if v := texts[""]; len(v) > 0 {
		return v
	}
	if len(bot.Languages) > 0 {
		if v := texts[bot.Languages[0]]; len(v) > 0 {
			return v
		}
	}
	for _, k := range slices.Sorted(maps.Keys(texts)) {
		if v := texts[k]; len(v) > 0 {
			return v
		}
	}
	return nil
}

// pick chooses one of n variants from the conversation id and the event count, so
// a retried turn says the same thing and a conversation doesn't repeat itself.
func pick(conversationID string, seq int64, n int) int {
	if n <= 1 {
		return 0
	}
	h := fnv.New32a()
	fmt.Fprintf(h, "%s/%d", conversationID, seq)
	return int(h.Sum32() % uint32(n))
}

// buttons renders a message's quick replies in lang.
func buttons(bot *policies.Bot, msg *policies.Message, lang string) []ReplyButton {
	if len(msg.Buttons) == 0 {
		return nil
	}
	out := make([]ReplyButton, 0, len(msg.Buttons))
	for _, b := range msg.Buttons {
		label := b.Labels[lang]
		if label == "" && len(bot.Languages) > 0 {
			label = b.Labels[bot.Languages[0]]
		}
		if label == "" {
			label = b.Labels[""]
		}
		payload := b.Payload
		if payload != "yes" && payload != "no" {
			payload = "/" + payload
		}
		if label == "" {
			label = strings.TrimPrefix(payload, "/")
		}
		out = append(out, ReplyButton{Label: label, Payload: payload})
	}
	return out
}

// messageLanguage is the language a message is written in, "" for a button's
// payload: "yes" or a value like "lost" is what a channel sends when a Chinese
// customer presses 确认 or 丢失, and says nothing of their language.
func messageLanguage(offered []ReplyButton, m *Message) string {
	text := strings.TrimSpace(m.Text)
	for _, b := range offered {
		if text != "" && samePayload(text, b.Payload) {
			return ""
		}
	}
	return m.NLU.Language
}

// samePayload reports whether text is the payload, with or without the slash
// intent buttons carry: tests and channels that write every press as "/lost"
// press a value button whose payload is "lost" all the same.
func samePayload(text, payload string) bool {
	return strings.EqualFold(strings.TrimPrefix(text, "/"), strings.TrimPrefix(payload, "/"))
}

// buttonLabel is the label of the offered button whose payload text is, "" when
// the customer typed something else.
func buttonLabel(offered []ReplyButton, text string) string {
	text = strings.TrimSpace(text)
	for _, b := range offered {
		if text != "" && samePayload(text, b.Payload) && b.Label != b.Payload {
			return b.Label
		}
	}
	return ""
}

// typedYesNoLabel is the payload of the yes or no button whose label the
// message is, typed as it reads: "accept" for a yes button labelled
// "Accept" at "Accept the offer?", where no yes word or echo says it. A
// customer on a channel without buttons types what they see. "" when the
// message is no such label.
func typedYesNoLabel(offered []ReplyButton, text string) string {
	t := trimLabel(text)
	if t == "" {
		return ""
	}
	for _, b := range offered {
		if (b.Payload == "yes" || b.Payload == "no") && trimLabel(b.Label) == t {
			return b.Payload
		}
	}
	return ""
}

// trimLabel is a label or a message as typed, for comparing the two: lower
// case, without surrounding spaces and end punctuation.
func trimLabel(s string) string {
	return strings.ToLower(strings.Trim(s, " \t\n.!?,~。！？，～"))
}
