package dialog

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// QueueStatus is where a customer waiting for a person stands. The engine reads
// it from the inbox before the turn and passes it in Input.Queue, so the dialog
// stays pure; it is nil once an agent has the conversation.
type QueueStatus struct {
	Queue    string
	Position int           // 1: next in line
	Wait     time.Duration // the estimated wait; 0 when there is no estimate
	// Available counts the agents online who take this queue; 0 means nobody
	// can answer right now.
	Available int
}

// EventQueueLeft: the customer left the queue before an agent took them; the
// bot has the conversation again. Queue names the queue they left.
const EventQueueLeft = "queue_left"

var waitingText = map[string]map[string]string{
	"position": {
		"en": "You're number %d in the queue.",
		"zh": "您排在第 %d 位。", // a place, as in English: number 2 has one ahead
	},
	"next": {
		"en": "You're next in the queue.",
		"zh": "您是下一位，请稍候。",
	},
	"wait": {
		"en": " the wait is about %s.",
		"zh": "预计等待约 %s。",
	},
	"nobody": {
		"en": " No one is available right now; we'll answer as soon as someone is.",
		"zh": "目前暂无客服在线，有人上线后会第一时间回复您。",
	},
	"how_to_leave": {
		"en": ` Reply "cancel" to leave the queue.`,
		"zh": "回复“取消”可退出排队。",
	},
	"left": {
		"en": "OK, you've left the queue. I'm here if you need anything else.",
		"zh": "好的，您已退出排队。如需帮助，随时找我。",
	},
}

func waiting(key, lang string) string {
	if t, ok := waitingText[key][lang]; ok {
		return t
	}
	return waitingText[key]["en"]
}

// whileHandedOff answers a customer message while a person has (or will have)
// the conversation: while they wait, the bot says where they stand, and
// "cancel" takes them out of the queue. Once an agent has them, the agent
// answers and the bot says nothing.
func (d *decider) whileHandedOff(m *Message) {
	q := d.in.Queue
	if q == nil || d.st.Agent != "" {
		return
	}
	if m.NLU.Cancel {
		d.leaveQueue()
		return
	}
	d.reply(Reply{Text: queueText(*q, d.lang())})
}

// onLeaveQueue is the customer's "Leave the queue" button.
func (d *decider) onLeaveQueue() {
	switch {
	case !d.st.HandedOff:
		// Already back with the bot: a repeat of the button.
	case d.st.Agent != "":
		d.emit(Event{Type: EventError, Error: "the customer asked to leave the queue after an agent joined"})
	default:
		d.leaveQueue()
	}
}

func (d *decider) leaveQueue() {
	d.emit(Event{Type: EventQueueLeft, Queue: d.st.HandoffQueue})
	d.reply(Reply{Text: waiting("left", d.lang())})
}

// queueText says where the customer stands: "You're number 2 in the queue; the
// wait is about 3 minutes." A second sentence says when nobody can answer.
func queueText(q QueueStatus, lang string) string {
	var b strings.Builder
	if q.Position <= 1 {
		b.WriteString(waiting("next", lang))
	} else {
		b.WriteString(fmt.Sprintf(waiting("position", lang), q.Position))
	}
	switch {
	case q.Available == 0 && q.Position > 1:
		b.WriteString(waiting("nobody", lang))
	case q.Wait > 0 && q.Position > 1:
		text := b.String()
		if lang != "zh" {
			// "You're number 2 in the queue; the wait is about 3 minutes."
			text = strings.TrimSuffix(text, ".") + ";"
		}
		b.Reset()
		b.WriteString(text)
		b.WriteString(fmt.Sprintf(waiting("wait", lang), approxDuration(q.Wait, lang)))
	}
	b.WriteString(waiting("how_to_leave", lang))
	return b.String()
}

// approxDuration rounds a wait as a person would say it: "a minute", "3
// minutes", "about an hour" is left to "60 minutes" for honesty.
func approxDuration(d time.Duration, lang string) string {
	minutes := int(math.Ceil(d.Minutes()))
	if minutes < 1 {
		minutes = 1
	}
	if lang == "zh" {
		return fmt.Sprintf("%d 分钟", minutes)
	}
	if minutes == 1 {
		return "a minute"
	}
	return fmt.Sprintf("%d minutes", minutes)
}
