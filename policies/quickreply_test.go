package policies

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

func TestFillQuickReply(t *testing.T) {
	bot, diags := LoadDir("testdata/valid/rich", testOptions)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	byName := map[string]*QuickReply{}
	for _, q := range bot.QuickReplies {
		byName[q.Name] = q
	}
	if bot.Inbox == nil || !bot.Inbox.AutoAssign {
		t.Errorf("inbox = %+v, want auto_assign", bot.Inbox)
	}
	known := Scope{
		Customer:     cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("Li Wei"), "vip": cty.True}),
		Slots:        map[string]cty.Value{"count": cty.StringVal("2"), "dish": cty.StringVal("dumplings")},
		Conversation: ConversationInfo{ID: "c-7"},
	}
	tests := []struct {
		name, reply, lang string
		scope             Scope
		want              FilledQuickReply
	}{
		{"english", "greeting", "en", known, FilledQuickReply{Text: "Hi Li Wei, this is Ann. How can I help?", Language: "en"}},
		{"chinese", "greeting", "zh", known, FilledQuickReply{Text: "Li Wei您好，我是Ann，请问有什么可以帮您？", Language: "zh"}},
		{"a language it lacks falls back to the bot's first", "greeting", "zh-TW", known, FilledQuickReply{Text: "Hi Li Wei, this is Ann. How can I help?", Language: "en"}},
		{"slots and conditionals", "order_count", "en", known, FilledQuickReply{Text: "You ordered 2 dumplings (VIP); c-7 is your reference.", Language: "en"}},
		{"what is unknown stays visible", "greeting", "en", Scope{}, FilledQuickReply{Text: "Hi [customer.name], this is Ann. How can I help?", Language: "en", Missing: []string{"customer.name"}}},
		{"an empty slot too", "order_count", "en", Scope{Slots: map[string]cty.Value{"dish": cty.StringVal("noodles")}},
			FilledQuickReply{Text: "You ordered [slot.count] noodles; [conversation.id] is your reference.", Language: "en", Missing: []string{"slot.count", "conversation.id"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := bot.FillQuickReply(byName[tt.reply], tt.lang, tt.scope, "ann", "Ann")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
