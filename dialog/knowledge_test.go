package dialog

import (
	"encoding/json"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/policies"
)

// Answers from the knowledge base: the engine searches it for a message no
// intent understands and passes what it found in Message.Knowledge.

var refundChunk = KnowledgeAnswer{
	ChunkID: "knowledge/returns.md#refunds", Title: "Returns > Refunds", Source: "knowledge/returns.md",
	Text: "Refunds reach your account within 3-5 working days.", Score: 0.42,
}

var refundChunkZH = KnowledgeAnswer{
	ChunkID: "knowledge/returns_zh.md#退款", Title: "退货 > 退款", Source: "knowledge/returns_zh.md",
	Text: "退款会在 3-5 个工作日内到账。", Score: 0.38,
}

const hoursText = "Monday to Friday, 9:00-18:00."

// hoursFAQ is a passage that matches its question well.
var hoursFAQ = KnowledgeAnswer{ChunkID: "faq.hcl#hours", Title: "Opening hours", Source: "faq.hcl", Text: hoursText, Score: 0.6}

// found is a message the knowledge base answered.
func found(in Input, k KnowledgeAnswer) Input {
	in.Message.Searched = true
	in.Message.Knowledge = &k
	return in
}

// searched is a message the knowledge base was searched for, in vain.
func searched(in Input) Input {
	in.Message.Searched = true
	return in
}

// events checks the turn's events of the knowledge kinds, in order: want lists
// "knowledge_answered CHUNK_ID", "unanswered TEXT" and "not_understood".
func events(want ...string) func(t *testing.T, tn turn, c *convo) {
	return func(t *testing.T, tn turn, _ *convo) {
		t.Helper()
		got := []string{}
		for _, e := range tn.Events {
			switch e.Type {
			case EventKnowledgeAnswered:
				got = append(got, e.Type+" "+e.Knowledge.ChunkID)
			case EventUnanswered:
				got = append(got, e.Type+" "+e.Message.Text)
			case EventNotUnderstood:
				got = append(got, e.Type)
			}
		}
		if diff := cmp.Diff(append([]string{}, want...), got); diff != "" {
			t.Errorf("knowledge events (-want +got):\n%s\nall events: %v", diff, tn.eventTypes())
		}
	}
}

func failures(n int, then ...func(t *testing.T, tn turn, c *convo)) func(t *testing.T, tn turn, c *convo) {
	return func(t *testing.T, tn turn, c *convo) {
		t.Helper()
		if c.st.Failures != n {
			t.Errorf("failures = %d, want %d", c.st.Failures, n)
		}
		for _, f := range then {
			f(t, tn, c)
		}
	}
}

func retriesOf(slot string, n int, then ...func(t *testing.T, tn turn, c *convo)) func(t *testing.T, tn turn, c *convo) {
	return func(t *testing.T, tn turn, c *convo) {
		t.Helper()
		got := 0
		if n := len(c.st.Stack); n > 0 {
			got = c.st.Stack[n-1].Retries[slot]
		}
		if got != n {
			t.Errorf("retries of %s = %d, want %d", slot, got, n)
		}
		for _, f := range then {
			f(t, tn, c)
		}
	}
}

func TestKnowledgeAnswers(t *testing.T) {
	const refundEN = "Refunds reach your account within 3-5 working days."
	askingOrder := exchange{in: say("refund", intent("refund", 0.9)), replies: []string{"Order number?"}, stack: []string{"refund"}}
	runConversations(t, []conversation{
		{
			name: "no dialog: the answer with its source, by default",
			dir:  miniDir,
			turns: []exchange{{
				in:      found(say("when do I get my money back?"), refundChunk),
				replies: []string{refundEN + "\n\nSource: Returns > Refunds"},
				stack:   none(),
				check:   events("knowledge_answered knowledge/returns.md#refunds"),
			}},
		},
		{
			name: "no dialog, in Chinese: 来源",
			dir:  miniDir,
			turns: []exchange{{
				in:      found(zh("退款多久到账？"), refundChunkZH),
				replies: []string{"退款会在 3-5 个工作日内到账。\n\n来源：退货 > 退款"},
				check:   events("knowledge_answered knowledge/returns_zh.md#退款"),
			}},
		},
		{
			name: "a chunk without a title is said without a source line",
			dir:  miniDir,
			turns: []exchange{{
				in:      found(say("money back?"), KnowledgeAnswer{ChunkID: "notes.txt#1", Text: "  Within a week.  "}),
				replies: []string{"Within a week."},
			}},
		},
		{
			name: "a NaN score still answers, and the log stays JSON",
			dir:  miniDir,
			turns: []exchange{{
				in:      found(say("money back?"), KnowledgeAnswer{ChunkID: "a#b", Title: "B", Text: "Soon.", Score: math.NaN()}),
				replies: []string{"Soon.\n\nSource: B"},
				check:   events("knowledge_answered a#b"),
			}},
		},
		{
			name: "an answer from knowledge is understood: failures start over",
			dir:  miniDir,
			turns: []exchange{
				{in: searched(say("asdf")), replies: []string{"Sorry?"}, check: failures(1, events("not_understood", "unanswered asdf"))},
				{in: searched(say("qwerty")), replies: []string{"Sorry?"}, check: failures(2)},
				{in: found(say("refund time?"), refundChunk), check: failures(0, events("knowledge_answered knowledge/returns.md#refunds"))},
				{in: searched(say("zxcv")), replies: []string{"Sorry?"}, check: failures(1)},
			},
		},
		{
			name: "unanswered questions still count toward the stuck handoff",
			dir:  miniDir,
			turns: []exchange{
				{in: searched(say("do you sell cars?")), replies: []string{"Sorry?"}, check: events("not_understood", "unanswered do you sell cars?")},
				{in: searched(say("do you sell boats?")), replies: []string{"Sorry?"}},
				{in: searched(say("do you sell planes?")), replies: []string{"Let me get a colleague."}, handoff: "general", check: events("not_understood", "unanswered do you sell planes?")},
			},
		},
		{
			name:  "a message that was not searched is not unanswered",
			dir:   miniDir,
			turns: []exchange{{in: say("asdf"), replies: []string{"Sorry?"}, check: events("not_understood")}},
		},
		{
			name: "an empty answer is no answer",
			dir:  miniDir,
			turns: []exchange{{
				in:      found(say("what?"), KnowledgeAnswer{ChunkID: "x#y", Title: "Y", Text: " \n "}),
				replies: []string{"Sorry?"},
				check:   events("not_understood", "unanswered what?"),
			}},
		},
		{
			name:  "a bare no with nothing open is a goodbye, not a search hit",
			dir:   miniDir,
			turns: []exchange{{in: found(say("no"), refundChunk), replies: []string{"Bye!"}, check: events()}},
		},
		{
			name:  "a confident intent wins over a knowledge answer",
			dir:   miniDir,
			turns: []exchange{{in: found(say("hours?", intent("hours", 0.9)), refundChunk), replies: []string{"We're open 9-6."}, check: events()}},
		},
		{
			// mini: confidence_threshold 0.5, so a Chinese intent is settled
			// from 0.75; 0.7 stands 0.4 of the way from the threshold to 1. The
			// knowledge threshold is 0.10: hoursFAQ (0.6) stands 0.56 of the
			// way, refundChunk (0.42) 0.36.
			name:  "a Chinese intent not settled gives way to a passage that matches better",
			dir:   miniDir,
			turns: []exchange{{in: found(zh("几点开门？", intent("hours", 0.7)), hoursFAQ), replies: []string{hoursText + "\n\n来源：Opening hours"}, check: events("knowledge_answered faq.hcl#hours")}},
		},
		{
			name:  "a Chinese intent not settled keeps a message whose passage matches less",
			dir:   miniDir,
			turns: []exchange{{in: found(zh("几点开门？", intent("hours", 0.7)), refundChunk), replies: []string{"九点到六点。"}, check: events()}},
		},
		{
			name:  "a settled Chinese intent wins over any passage",
			dir:   miniDir,
			turns: []exchange{{in: found(zh("几点开门？", intent("hours", 0.75)), hoursFAQ), replies: []string{"九点到六点。"}, check: events()}},
		},
		{
			name:  "an English intent the bot accepts wins over any passage",
			dir:   miniDir,
			turns: []exchange{{in: found(say("hours?", intent("hours", 0.6)), hoursFAQ), replies: []string{"We're open 9-6."}, check: events()}},
		},
		{
			name: "mid-dialog: a Chinese digression's intent not settled gives way to a passage that matches better",
			dir:  miniDir,
			turns: []exchange{
				askingOrder,
				{
					in:      found(zh("几点开门？", intent("track", 0.6)), hoursFAQ),
					replies: []string{hoursText + "\n\n来源：Opening hours", "Order number?"},
					stack:   []string{"refund"},
					check:   events("knowledge_answered faq.hcl#hours"),
				},
			},
		},
		{
			name: "mid-dialog: a knowledge question is a digression, then the question again without a retry",
			dir:  miniDir,
			turns: []exchange{
				askingOrder,
				{
					in:      found(say("how long do refunds take?"), refundChunk),
					replies: []string{refundEN + "\n\nSource: Returns > Refunds", "Order number?"},
					stack:   []string{"refund"},
					check:   retriesOf("order_id", 0, events("knowledge_answered knowledge/returns.md#refunds")),
				},
				{in: say("AB123456", ent("order_id", "AB123456")), calls: []string{"orders.get_order"}, replies: []string{"Why?"}, slots: map[string]string{"order_id": "AB123456"}},
			},
		},
		{
			name: "mid-dialog: a question that also gives the asked value is answered, and the value taken",
			dir:  miniDir,
			turns: []exchange{
				askingOrder,
				{
					in:      found(say("AB123456, how long do refunds take?", ent("order_id", "AB123456")), refundChunk),
					replies: []string{refundEN + "\n\nSource: Returns > Refunds", "Why?"},
					slots:   map[string]string{"order_id": "AB123456"},
					check:   events("knowledge_answered knowledge/returns.md#refunds"),
				},
			},
		},
		{
			name: "mid-dialog: a statement with the asked value fills it",
			dir:  miniDir,
			turns: []exchange{
				askingOrder,
				{
					in:      found(say("it's AB123456, it has to go back", ent("order_id", "AB123456")), refundChunk),
					replies: []string{"Why?"},
					slots:   map[string]string{"order_id": "AB123456"},
					check:   events(),
				},
			},
		},
		{
			// "算了还是全额退款吧" while a claim asks how much to refund: a
			// passage that also says 全额退款 does not take the change of mind.
			name: "mid-dialog: a new value for a slot already filled is a change of mind, not a knowledge question",
			dir:  miniDir,
			turns: []exchange{
				askingOrder,
				{in: say("AB123456", ent("order_id", "AB123456")), replies: []string{"Why?"}},
				{
					in:      found(say("oh I meant CD654321 then", ent("order_id", "CD654321")), refundChunk),
					calls:   []string{"orders.get_order"},
					replies: []string{"Why?"},
					slots:   map[string]string{"order_id": "CD654321"},
					check:   events(),
				},
				{
					in:      found(say("CD654321 - do refunds take long?", ent("order_id", "CD654321")), refundChunk),
					replies: []string{refundEN + "\n\nSource: Returns > Refunds", "Why?"},
					check:   events("knowledge_answered knowledge/returns.md#refunds"),
				},
			},
		},
		{
			name: "mid-dialog: a search with no answer is a failed attempt and unanswered",
			dir:  miniDir,
			turns: []exchange{
				askingOrder,
				{
					in:      searched(say("do you sell cars?")),
					replies: []string{"Bad order number."},
					stack:   []string{"refund"},
					check:   retriesOf("order_id", 1, events("unanswered do you sell cars?")),
				},
			},
		},
		{
			// A correction that gives no value corrects nothing: the question
			// in it is answered like any other.
			name: "mid-dialog: a correction with no value is a question like any other",
			dir:  miniDir,
			turns: []exchange{
				askingOrder,
				{
					in:      found(say("no wait, how long do refunds take?", correction()), refundChunk),
					replies: []string{refundEN + "\n\nSource: Returns > Refunds", "Order number?"},
					check:   retriesOf("order_id", 0, events("knowledge_answered knowledge/returns.md#refunds")),
				},
			},
		},
		{
			name: "mid-dialog: a text slot takes the message, found or not",
			dir:  miniDir,
			turns: []exchange{
				{in: say("callback", intent("callback", 0.9)), replies: []string{"Your number?"}},
				{in: say("13812345678", ent("phone", "13812345678")), replies: []string{"Your message?"}},
				{in: found(say("refunds take too long, call me"), refundChunk), ticket: "callbacks", stack: none(), check: events()},
			},
		},
		{
			// Issue 14: a free-text slot swallowed "who pays for return shipping?".
			name: "mid-dialog: a plain question in a text slot is answered from the knowledge base",
			dir:  miniDir,
			turns: []exchange{
				{in: say("callback", intent("callback", 0.9)), replies: []string{"Your number?"}},
				{in: say("13812345678", ent("phone", "13812345678")), replies: []string{"Your message?"}},
				{in: found(say("how long do refunds take?"), refundChunk), replies: []string{refundEN + "\n\nSource: Returns > Refunds", "Your message?"},
					stack: []string{"callback"}, check: events("knowledge_answered knowledge/returns.md#refunds")},
				{in: searched(say("who will call me?")), ticket: "callbacks", stack: none(), check: events("unanswered who will call me?")},
			},
		},
		{
			// Issue 14: the knowledge base answered "yes" with the extended-warranty FAQ.
			name: "mid-dialog: an acknowledgement is never a knowledge question",
			dir:  miniDir,
			turns: []exchange{
				askingOrder,
				{in: found(say("yes", ent("yes_no", "yes")), refundChunk), replies: []string{"Bad order number."}, check: events()},
				{in: say("AB123456", ent("order_id", "AB123456")), replies: []string{"Why?"}},
				{in: found(say("ok thanks"), refundChunk), replies: []string{"Why?"}, check: events()},
			},
		},
		{
			name: "outside a dialog: an acknowledgement is never a knowledge question",
			dir:  miniDir,
			turns: []exchange{
				{in: found(zh("好的，谢谢"), refundChunk), replies: []string{"好的，有需要随时找我。"}, check: events()},
				{in: found(say("thanks!"), refundChunk), replies: []string{"OK. I'm here if you need anything else."}, check: events()},
			},
		},
		{
			name: "mid-dialog: a text slot is no unanswered question",
			dir:  miniDir,
			turns: []exchange{
				{in: say("callback", intent("callback", 0.9))},
				{in: say("13812345678", ent("phone", "13812345678"))},
				{in: searched(say("please call about my sofa")), ticket: "callbacks", check: events()},
			},
		},
		{
			name: "at a confirmation: answered, then asked again",
			dir:  miniDir,
			turns: []exchange{
				{in: say("refund AB123456 broken", intent("refund", 0.9), ent("order_id", "AB123456"), entText("reason", "damaged", "broken")), replies: []string{"Refund AB123456 (320)?"}},
				{in: found(say("how long will it take?"), refundChunk), replies: []string{refundEN + "\n\nSource: Returns > Refunds", "Refund AB123456 (320)?"}, stack: []string{"refund"}},
				{in: yes(), calls: []string{"orders.refund"}, replies: []string{"Refunded AB123456: RF-AB123456."}, stack: none()},
			},
		},
		{
			name: "mid-dialog: a cancel word cancels even when the knowledge base has something",
			dir:  miniDir,
			turns: []exchange{
				askingOrder,
				{in: found(say("never mind", cancel()), refundChunk), replies: []string{"OK, I've cancelled that."}, stack: none(), check: events()},
			},
		},
		{
			name: "handed off: the person answers, not the knowledge base",
			dir:  miniDir,
			turns: []exchange{
				{in: say("human", intent("human", 0.9)), handoff: "general"},
				{in: found(say("how long do refunds take?"), refundChunk), replies: none(), check: events()},
			},
		},
		{
			name: "the shop answers with its knowledge_answer response",
			dir:  shopDir,
			turns: []exchange{{
				in:        found(say("when do I get my money back?"), refundChunk),
				responses: []string{"knowledge_answer"},
				replies:   []string{refundEN + "\n\n(Source: Returns > Refunds)"},
			}},
		},
		{
			name: "the shop answers in Chinese",
			dir:  shopDir,
			turns: []exchange{{
				in:        found(zh("退款多久到账？"), refundChunkZH),
				responses: []string{"knowledge_answer"},
				replies:   []string{"退款会在 3-5 个工作日内到账。\n\n（来源：退货 > 退款）"},
			}},
		},
	})
}

func TestKnowledgeReplyOfTheBot(t *testing.T) {
	withReply := func(reply *policies.Message) *policies.Bot {
		bot := handBuiltBot(t)
		bot.Knowledge = &policies.Knowledge{Reply: reply}
		return bot
	}
	named := text(t, map[string][]string{"en": {"${knowledge.answer} [${knowledge.id} in ${knowledge.source}, ${knowledge.score}]"}})
	named.Name = "kb"
	broken := text(t, map[string][]string{"en": {"${call.nope.x}"}})
	runConversations(t, []conversation{
		{
			name: "the reply reads every knowledge field",
			bot:  withReply(named),
			turns: []exchange{{
				in:        found(say("refund time?"), refundChunk),
				replies:   []string{refundChunk.Text + " [knowledge/returns.md#refunds in knowledge/returns.md, 0.42]"},
				responses: []string{"kb"},
			}},
		},
		{
			name: "a reply that can't be rendered still gives the answer",
			bot:  withReply(broken),
			turns: []exchange{{
				in:      found(say("refund time?"), refundChunk),
				replies: []string{refundChunk.Text + "\n\nSource: Returns > Refunds"},
				check: func(t *testing.T, tn turn, c *convo) {
					if len(tn.errors()) != 1 {
						t.Errorf("errors = %q, want the reply's render error", tn.errors())
					}
					events("knowledge_answered knowledge/returns.md#refunds")(t, tn, c)
				},
			}},
		},
		{
			name: "knowledge is empty in other messages",
			bot: func() *policies.Bot {
				bot := withReply(nil)
				bot.Replies.NotUnderstood = text(t, map[string][]string{"en": {"Eh?[${knowledge.answer}${knowledge.id}]"}})
				return bot
			}(),
			turns: []exchange{{in: searched(say("cars?")), replies: []string{"Eh?[]"}}},
		},
	})
}

// TestKnowledgeEventsSurviveJSON: a knowledge answer and an unanswered question
// in the log replay to the state Step returned (the harness checks it on every
// turn), and their payloads come back from JSON intact.
func TestKnowledgeEventsSurviveJSON(t *testing.T) {
	bot := loadBot(t, miniDir)
	c := newConvo(t, bot, "conv-kb-json")
	c.send(found(say("refund time?"), refundChunk))
	c.send(searched(say("cars?")))
	i := slices.IndexFunc(c.log, func(e Event) bool { return e.Type == EventKnowledgeAnswered })
	j := slices.IndexFunc(c.log, func(e Event) bool { return e.Type == EventUnanswered })
	if i < 0 || j < 0 {
		t.Fatalf("log %v lacks the knowledge events", c.log)
	}
	roundTrip := func(e Event) Event {
		t.Helper()
		var out []Event
		mustJSON(t, []Event{e}, &out)
		return out[0]
	}
	if diff := cmp.Diff(c.log[i], roundTrip(c.log[i])); diff != "" {
		t.Errorf("knowledge_answered through JSON (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(c.log[j], roundTrip(c.log[j])); diff != "" {
		t.Errorf("unanswered through JSON (-before +after):\n%s", diff)
	}
	if *c.log[i].Knowledge != refundChunk || c.log[j].Message.Text != "cars?" {
		t.Errorf("payloads %+v, %+v", c.log[i].Knowledge, c.log[j].Message)
	}
}

func mustJSON(t *testing.T, in, out any) {
	t.Helper()
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
}
