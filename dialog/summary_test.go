package dialog

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/policies"
)

// zhFirst is examples/shop with Chinese as its default language: the
// language its agents read.
func zhFirst(t *testing.T) *policies.Bot {
	t.Helper()
	bot := *loadBot(t, shopDir)
	bot.Languages = []string{"zh", "en"}
	return &bot
}

// The automatic handoff summary tells the whole session in the bot's default
// language, quoting the customer as they wrote, and leaves out the request
// for a person that handed off.
func TestHandoffSummary(t *testing.T) {
	human := func() Input { return say("I want to talk to a person", intent("human", 0.95)) }
	humanZH := func() Input { return say("转人工", intent("human", 0.95), lang("zh")) }
	blah := func(s string) Input { return say(s) }
	tests := []struct {
		name  string
		zh    bool
		setup func(*convo)
		turns []Input
		want  string
		slots map[string]string // the handoff's, when set: the session's values
	}{
		{
			name:  "track, then a person",
			setup: withOrder("AB123456", "delayed", 499),
			turns: []Input{say("where is my order AB123456", intent("track_order", 0.9), ent("order_id", "AB123456")), human()},
			want:  `Completed tracking your order (order_id AB123456), asked as "where is my order AB123456". Call order: status delayed. Reason: asked_for_human.`,
			slots: map[string]string{"order_id": "AB123456"},
		},
		{
			name:  "track, then a person, in Chinese",
			zh:    true,
			setup: withOrder("AB123456", "delayed", 499),
			turns: []Input{say("我的订单AB123456到哪了", intent("track_order", 0.9), ent("order_id", "AB123456"), lang("zh")), humanZH()},
			want:  "已完成 查询订单（order_id AB123456），客户原话：“我的订单AB123456到哪了”。调用 order：status delayed。转人工原因：asked_for_human。",
		},
		{
			name:  "an unknown order",
			setup: withOrder("AB123456", "delayed", 499),
			turns: []Input{say("where is ZZ000000", intent("track_order", 0.9), ent("order_id", "ZZ000000")), human()},
			want:  `Was in tracking your order (order_id ZZ000000), asked as "where is ZZ000000". Call order: not found. Reason: asked_for_human.`,
		},
		{
			name:  "a refund sent for approval, then a person",
			setup: withOrder("AB123456", "delivered", 5001),
			turns: []Input{refundWrongItem(), yes(), human()},
			want: `Completed your refund (order_id AB123456, reason wrong_item), asked as "refund AB123456, it's the wrong item". Call order: status delivered. ` +
				`Rule refund_supervisor applied. Sent for approval: Refund of ¥5,001.00 for order AB123456 (wrong_item) is over the ¥5,000.00 limit. Reason: asked_for_human.`,
		},
		{
			name:  "a refund sent for approval, then a person, in Chinese",
			zh:    true,
			setup: withOrder("AB123456", "delivered", 5001),
			turns: []Input{say("AB123456 退款，发错货了", intent("refund", 0.93), ent("order_id", "AB123456"), entText("refund_reason", "wrong_item", "发错货"), lang("zh")), yes(), humanZH()},
			want: "已完成 退款（order_id AB123456，reason wrong_item），客户原话：“AB123456 退款，发错货了”。调用 order：status delivered。" +
				"已执行规则 refund_supervisor。已提交审批：Refund of ¥5,001.00 for order AB123456 (wrong_item) is over the ¥5,000.00 limit。转人工原因：asked_for_human。",
		},
		{
			name:  "not understood until stuck",
			turns: []Input{blah("blah"), blah("blah blah"), blah("blah blah blah")},
			want:  `The bot failed to understand the customer 3 times; last: "blah blah blah". Reason: The bot failed to understand three times in a row.`,
		},
		{
			name:  "not understood until stuck, in Chinese",
			zh:    true,
			turns: []Input{blah("啊啊"), blah("嗯嗯嗯"), blah("哦哦 哦")},
			want:  "机器人有 3 次未能理解客户，最后一次：“哦哦 哦”。转人工原因：The bot failed to understand three times in a row。",
		},
		{
			name:  "a person at once",
			turns: []Input{human()},
			want:  "The handoff came at the customer's first message, before the bot did anything. Reason: asked_for_human.",
		},
		{
			name:  "a person at once, upset, in Chinese",
			zh:    true,
			turns: []Input{say("转人工！！", intent("human", 0.95), lang("zh"), sentiment(-0.55))},
			want:  "客户第一条消息即转人工，机器人尚未办理任何事。客户情绪不满。转人工原因：asked_for_human。",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bot := loadBot(t, shopDir)
			if tt.zh {
				bot = zhFirst(t)
			}
			c := newConvo(t, bot, "summary")
			if tt.setup != nil {
				tt.setup(c)
			}
			var tn turn
			for _, in := range tt.turns {
				tn = c.send(in)
			}
			if tn.Handoff == nil {
				t.Fatalf("no handoff: %+v", tn)
			}
			if diff := cmp.Diff(tt.want, tn.Handoff.Summary); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
			if tt.slots != nil {
				if diff := cmp.Diff(tt.slots, tn.Handoff.Slots); diff != "" {
					t.Errorf("slots (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// The summary folded from events by hand: what the conversations above do
// not reach (an approval decided, a system down, a rule applied on every
// message, a handoff that shares neither values nor words).
func TestHandoffSummaryFold(t *testing.T) {
	amount := 600.0
	evs := []Event{
		{Type: EventMessageReceived, Message: &MessageRecord{Text: "refund AB123456"}},
		{Type: EventDialogStarted, Dialog: "refund"},
		{Type: EventSlotFilled, Dialog: "refund", Slot: "order_id", Value: &SlotValue{Value: "AB123456"}},
		{Type: EventCallCompleted, Call: "order", Error: "unavailable"},
		{Type: EventDialogCancelled, Dialog: "refund", Reason: "call_failed"},
		{Type: EventRuleApplied, Rule: "refund_supervisor", Amount: &amount},
		{Type: EventRuleApplied, Rule: "refund_supervisor", Amount: &amount},
		{Type: EventApprovalRequested, Effect: &Effect{ID: "e1", Kind: EffectApproval, Approval: &ApprovalRequest{Reason: "Refund 600 for AB123456."}}},
		{Type: EventApprovalDecided, Approval: &ApprovalRecord{Request: "e1", Decision: "rejected"}},
	}
	st := Replay(nil, NewState("c"), evs)
	bot := loadBot(t, shopDir)
	tests := []struct {
		name  string
		bot   *policies.Bot
		share summaryShare
		want  string
	}{
		{"everything shared", bot, summaryShare{values: true, words: true},
			`Abandoned your refund (order_id AB123456), asked as "refund AB123456"; a call failed. Call order failed: the system was unavailable. ` +
				`Rule refund_supervisor applied (amount 600). Sent for approval: Refund 600 for AB123456 (rejected). ` +
				`Reason: Large refunds wait for a supervisor's approval; the refund runs once someone approves it.`},
		{"neither values nor words", bot, summaryShare{},
			`Abandoned your refund; a call failed. Call order failed: the system was unavailable. Rule refund_supervisor applied (amount 600). ` +
				`Sent for approval: Refund 600 for AB123456 (rejected). Reason: Large refunds wait for a supervisor's approval; the refund runs once someone approves it.`},
		{"in Chinese", zhFirst(t), summaryShare{values: true, words: true},
			"已放弃 退款（order_id AB123456），客户原话：“refund AB123456”；调用失败。调用 order 失败：系统不可用。已执行规则 refund_supervisor（金额 600）。" +
				"已提交审批：Refund 600 for AB123456（已拒绝）。转人工原因：Large refunds wait for a supervisor's approval; the refund runs once someone approves it。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, summarize(tt.bot, st.Session, "refund_supervisor", "", tt.share)); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
		})
	}
	if st := Replay(nil, st, []Event{{Type: EventSessionExpired}}); st.Session != nil {
		t.Errorf("a new session keeps the old one's log: %+v", st.Session)
	}
}

// withTitles is bot with the titles of some of its dialogs replaced (nil:
// none).
func withTitles(bot *policies.Bot, titles map[string]map[string]string) *policies.Bot {
	b := *bot
	b.Dialogs = slices.Clone(bot.Dialogs)
	for i, dl := range b.Dialogs {
		if title, ok := titles[dl.Name]; ok {
			titled := *dl
			titled.Title = title
			b.Dialogs[i] = &titled
		}
	}
	return &b
}

// An agent reads a dialog by the title the analyst wrote for it, in the
// conversation's language (how the bot named it to this customer), and by
// its name only when it has no title. The sentence around it stays in the
// language the agents read.
func TestHandoffSummaryNamesDialogsByTitle(t *testing.T) {
	human := say("I want to talk to a person", intent("human", 0.95))
	humanZH := say("转人工", intent("human", 0.95), lang("zh"))
	track := say("where is my order AB123456", intent("track_order", 0.9), ent("order_id", "AB123456"))
	trackZH := say("我的订单AB123456到哪了", intent("track_order", 0.9), ent("order_id", "AB123456"), lang("zh"))
	tests := []struct {
		name  string
		bot   *policies.Bot
		turns []Input
		want  string
	}{
		{
			name:  "English",
			bot:   loadBot(t, shopDir),
			turns: []Input{track, human},
			want:  `Completed tracking your order (order_id AB123456), asked as "where is my order AB123456". Call order: status delayed. Reason: asked_for_human.`,
		},
		{
			name:  "a Chinese conversation, English agents",
			bot:   loadBot(t, shopDir),
			turns: []Input{trackZH, humanZH},
			want:  `Completed 查询订单 (order_id AB123456), asked as "我的订单AB123456到哪了". Call order: status delayed. Reason: asked_for_human.`,
		},
		{
			name:  "Chinese agents, an English conversation",
			bot:   zhFirst(t),
			turns: []Input{track, human},
			want:  "已完成 tracking your order（order_id AB123456），客户原话：“where is my order AB123456”。调用 order：status delayed。转人工原因：asked_for_human。",
		},
		{
			name:  "one title for every language",
			bot:   withTitles(loadBot(t, shopDir), map[string]map[string]string{"track_order": {"": "order tracking"}}),
			turns: []Input{trackZH, humanZH},
			want:  `Completed order tracking (order_id AB123456), asked as "我的订单AB123456到哪了". Call order: status delayed. Reason: asked_for_human.`,
		},
		{
			name:  "a title only in the default language",
			bot:   withTitles(loadBot(t, shopDir), map[string]map[string]string{"track_order": {"en": "tracking your order"}}),
			turns: []Input{trackZH, humanZH},
			want:  `Completed tracking your order (order_id AB123456), asked as "我的订单AB123456到哪了". Call order: status delayed. Reason: asked_for_human.`,
		},
		{
			name:  "no title",
			bot:   withTitles(loadBot(t, shopDir), map[string]map[string]string{"track_order": nil}),
			turns: []Input{track, human},
			want:  `Completed track_order (order_id AB123456), asked as "where is my order AB123456". Call order: status delayed. Reason: asked_for_human.`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newConvo(t, tt.bot, "titled")
			withOrder("AB123456", "delayed", 499)(c)
			var tn turn
			for _, in := range tt.turns {
				tn = c.send(in)
			}
			if tn.Handoff == nil {
				t.Fatalf("no handoff: %+v", tn)
			}
			if diff := cmp.Diff(tt.want, tn.Handoff.Summary); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
		})
	}
}

// WaitingSummary tells again only the automatic summary of a handoff that
// shares one: a template's, and one from before handoffs said which, stay.
// The state folds what the request asked, and forgets it with the handoff.
func TestWaitingSummaryOnlyAutomatic(t *testing.T) {
	share := []string{"transcript", "slots", "summary"}
	requested := func(req *HandoffRequest) Event {
		ev := Event{Type: EventHandoffRequested}
		if req != nil {
			ev.Effect = &Effect{ID: "e1", Kind: EffectHandoff, Handoff: req}
		}
		return ev
	}
	tests := []struct {
		name      string
		events    []Event
		want      string
		wantKnown bool
	}{
		{"automatic", []Event{requested(&HandoffRequest{Share: share, AutoSummary: true})}, "The customer sent 3 messages; the bot started no task.", true},
		{"a template's", []Event{requested(&HandoffRequest{Share: share, Summary: "VIP"})}, "", true},
		{"not shared", []Event{requested(&HandoffRequest{Share: []string{"transcript"}, AutoSummary: true})}, "", true},
		{"no request", []Event{requested(nil)}, "", true},
		{"not handed off", nil, "", true},
		{"left the queue", []Event{requested(&HandoffRequest{Share: share, AutoSummary: true}), {Type: EventQueueLeft}}, "", true},
		{"transferred", []Event{requested(&HandoffRequest{Share: share, AutoSummary: true}), {Type: EventHandoffTransferred, Queue: "billing"}},
			"The customer sent 3 messages; the bot started no task.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := State{Session: &SessionLog{Messages: 3}}
			for _, ev := range tt.events {
				st = Apply(st, ev)
			}
			got, known := WaitingSummary(nil, st)
			if diff := cmp.Diff(tt.want, got); diff != "" || known != tt.wantKnown {
				t.Errorf("WaitingSummary known %v (-want +got):\n%s", known, diff)
			}
		})
	}
}

// A state stored before states kept the handoff's request does not know
// it; the request found in the log makes it as the fold does today.
func TestWaitingSummaryOfAnOldState(t *testing.T) {
	req := &HandoffRequest{Reason: "asked for a person", Share: []string{"summary"}, AutoSummary: true}
	folded := Apply(State{Session: &SessionLog{Messages: 3}}, Event{Type: EventHandoffRequested, Effect: &Effect{Kind: EffectHandoff, Handoff: req}})
	old := folded
	old.HandoffSummary = nil
	if got, known := WaitingSummary(nil, old); got != "" || known {
		t.Fatalf("old state: WaitingSummary = %q, %v; want unknown", got, known)
	}
	kept := KeepHandoffRequest(old, req)
	if diff := cmp.Diff(folded, kept); diff != "" {
		t.Errorf("KeepHandoffRequest (-folded +kept):\n%s", diff)
	}
	want, _ := WaitingSummary(nil, folded)
	if got, known := WaitingSummary(nil, kept); got != want || !known || got == "" {
		t.Errorf("kept: WaitingSummary = %q, %v; want %q", got, known, want)
	}
	// Not handed off: nothing to keep.
	if st := KeepHandoffRequest(State{}, req); st.HandoffSummary != nil {
		t.Errorf("KeepHandoffRequest of a state not handed off: %+v", st.HandoffSummary)
	}
}
