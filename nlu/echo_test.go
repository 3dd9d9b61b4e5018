package nlu

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEchoAnswer(t *testing.T) {
	const (
		green   = "路由器的灯是绿色的吗？"
		refund  = "您收到退款了吗？"
		online  = "好的，请重启路由器。重启以后能上网了吗？"
		ticket  = "需要我帮您开工单吗？"
		light   = "Is the light on your router green?"
		restart = "Did you restart it?"
		works   = "Please restart the router. Does it work now?"
	)
	tests := []struct {
		question, answer, want string
	}{
		// Chinese: the predicate repeated, or negated.
		{green, "是绿色的", "yes"},
		{green, "是绿色", "yes"},
		{green, "绿的", "yes"},
		{green, "绿色", "yes"},
		{green, "嗯，是绿色的", "yes"},
		{green, "对，是绿色的", "yes"},
		{green, "灯是绿色的", "yes"},
		{green, "它是绿色的。", "yes"},
		{green, "一直是绿色的", "yes"},
		{green, "不是", "no"},
		{green, "不是绿色的", "no"},
		{green, "并不是绿色", "no"},
		{green, "是红色的", ""},
		{green, "红的", ""},
		{green, "灯", ""},
		{green, "是绿色的吗", ""},
		{green, "是绿色的？", ""},
		{green, "是绿色的，但是一直在闪", ""},
		{green, "应该是绿色的", ""},
		{green, "我觉得是绿色的", ""},
		{green, "不，是绿色的", ""},
		{refund, "收到了", "yes"},
		{refund, "收到了，谢谢", "yes"},
		{refund, "已经收到了", "yes"},
		{refund, "我收到了", "yes"},
		{refund, "是的，收到了", "yes"},
		{refund, "到账了", "yes"},
		{refund, "没收到", "no"},
		{refund, "还没收到", "no"},
		{refund, "没有收到", "no"},
		{refund, "还没有", "no"},
		{refund, "没有", "no"},
		{refund, "还没", "no"},
		{refund, "对，没收到", "no"},
		{refund, "退款", ""},
		{refund, "收到一半", ""},
		{refund, "退款什么时候到", ""},
		{online, "能", "yes"},
		{online, "能上网了", "yes"},
		{online, "可以了", "yes"},
		{online, "可以上网了！", "yes"},
		{online, "行了", "yes"},
		{online, "不能", "no"},
		{online, "还是不行", "no"},
		{online, "还是不能上网", "no"},
		{online, "还是无法上网", "no"},
		{online, "不行啊", "no"},
		{online, "重启了", ""},
		{online, "能，不过很慢", ""},
		{online, "好像能", ""},
		{ticket, "要", "yes"},
		{ticket, "需要", "yes"},
		{ticket, "要的", "yes"},
		{ticket, "不要", "no"},
		{ticket, "不需要", "no"},
		{ticket, "不用了", "no"},
		{ticket, "开吧", "yes"},
		{ticket, "工单", ""},
		{ticket, "没用", ""},
		{ticket, "要多久", ""},
		{online, "上网", ""},
		{online, "能打开网页了", ""},
		{refund, "收到短信了", ""},
		{refund, "只收到一部分", ""},
		{refund, "我不知道", ""},
		{"您是会员吗？", "会", ""},
		{"您是会员吗？", "是会员", "yes"},
		{"您现在在家吗？", "在家", "yes"},
		// Chinese question forms: A-not-A, 是否, 了没有, several sentences.
		{"重启以后能不能上网？", "能", "yes"},
		{"重启以后能不能上网？", "不能", "no"},
		{"现在可不可以登录？", "可以", "yes"},
		{"现在可不可以登录？", "不可以", "no"},
		{"灯是不是绿色的？", "是绿色的", "yes"},
		{"灯是不是绿色的？", "不是", "no"},
		{"您有没有收到验证码？", "有", "yes"},
		{"您有没有收到验证码？", "没有", "no"},
		{"外包装也有破损吗？", "有破损", "yes"},
		{"外包装也有破损吗？", "没有破损", "no"},
		{"外包装也有破损吗？", "没破损", "no"},
		{"外包装也有破损吗？", "也没有破损", "no"},
		{"外包装也有破损吗？", "没有划痕", ""},
		{"外包装也有破损吗？", "外包装没有破损", "no"},
		{"外包装也有破损吗？", "外包装也没破损", "no"},
		{"外包装也有破损吗？", "箱子没有破损", ""},
		// A modifier of the noun after 有 is not what is asked about.
		{"您有破损或缺件的照片吗？", "破损了", ""},
		{"您有破损或缺件的照片吗？", "没破损", ""},
		{"您有破损或缺件的照片吗？", "有破损", ""},
		{"您有破损或缺件的照片吗？", "有破损或缺件的照片", "yes"},
		{"您有破损或缺件的照片吗？", "有", "yes"},
		{"您有破损或缺件的照片吗？", "没有", "no"},
		{"外包装有破损的吗？", "有破损", "yes"},
		// What follows 有 is echoed for yes, as 没 negates it for no.
		{"您有没有受伤？", "受伤了", "yes"},
		{"您有没有受伤？", "嗯，受伤了", "yes"},
		{"您有没有受伤？", "没受伤", "no"},
		{"您有没有受伤？", "受", ""},
		{"您有没有受伤？", "有点擦伤", ""},
		// 有人 asks whether anyone: the answer leaves the 人 out
		{"请问有没有人受伤？", "没有受伤", "no"},
		{"请问有没有人受伤？", "都没受伤", "no"},
		{"请问有没有人受伤？", "没人受伤", "no"},
		{"请问有没有人受伤？", "有人受伤了", "yes"},
		{"请问有没有人受伤？", "受伤了", "yes"},
		{"有人工客服吗？", "工客服", ""},
		{"外包装也有破损吗？", "破损了", "yes"},
		{"外包装也有破损吗？", "划痕", ""},
		{"您有没有收到验证码？", "验证码", ""},
		{green, "灯不是绿色的", "no"},
		{green, "路由器的灯不是绿色", "no"},
		{green, "红灯不是绿色的", ""},
		{green, "灯不是红色的", ""},
		{"您有会员卡吗？", "没有会员卡", "no"},
		{"您有会员卡吗？", "没有优惠券", ""},
		{"您有没有收到验证码？", "收到了", "yes"},
		{"需不需要我帮您转人工？", "需要", "yes"},
		{"需不需要我帮您转人工？", "不用", "no"},
		{"您是否收到了退款？", "收到了", "yes"},
		{"您收到退款了没有？", "没有", "no"},
		// 确认 and 确定 before a verb: the verb is echoed too.
		{"退款¥6,000.00。是否确认取消？", "取消", "yes"},
		{"是否确认取消？", "取消吧", "yes"},
		{"是否确认取消？", "确认取消", "yes"},
		{"是否确认取消？", "不取消了", "no"},
		// The other go-ahead word before the echo: a customer who types the
		// button's label "确定取消".
		{"是否确认取消订单 ES00000800（¥800.00）？", "确定取消", "yes"},
		{"是否取消订单？", "确定取消", "yes"},
		{"确定提交吗？", "确认提交", "yes"},
		{"确定要退款吗？", "确定退款", "yes"},
		{"确定要取消订单 ES00000800（¥800.00）吗？", "确定取消", "yes"},
		{"确定要取消订单吗？", "确认取消吧", "yes"},
		{"确定要取消订单吗？", "确定退款", ""},
		{"是否确认取消？", "确认", "yes"},
		{"是否确认订单信息？", "信息", ""},
		{"确定提交吗？", "提交", "yes"},
		{"确认退款吗？", "退款", "yes"},
		{"确认退款吗？", "退款吧", "yes"},
		{"确认退款吗？", "不退款", "no"},
		{"确认退款吗？", "确认", "yes"},
		{"确认退款吗？", "不确认", "no"},
		{"订单 ED20261101（¥399.00），确认退款吗？", "退款", "yes"},
		{"确认取消吗？", "取消", "yes"},
		{"确认取消吗？", "不取消了", "no"},
		// 掉 after the verb, as 了: "cancel it away"
		{"确认取消预约 DC100001（洗牙）吗？距离就诊超过24小时，可免费取消。", "取消掉", "yes"},
		{"是否确认取消？", "取消掉吧", "yes"},
		{"确认订单信息吗？", "信息", ""},
		{"确定要退款吗？", "要", "yes"},
		{"确定要退款吗？", "退款", ""},
		{"您收到退款了没有？", "收到了", "yes"},
		{"网络好了么？", "好了", "yes"},
		{"灯在闪烁吗？", "没有", "no"},
		{"指示灯闪烁吗？", "闪烁", ""},
		{"指示灯闪烁吗？", "没有", "no"},
		{"您收没收到验证码？", "收到了", "yes"},
		{"您收没收到验证码？", "没收到", "no"},
		{green, "并不是", "no"},
		{light, "maybe it is", ""},
		{works, "it probably does", ""},
		{"网络好了吗", "好了", "yes"},
		{"网络好了吗", "没好", "no"},
		{"网络好了吗", "还没好", "no"},
		{"您会再次购买吗？", "会", "yes"},
		{"您会再次购买吗？", "不会", "no"},
		{"需要我帮您开工单，安排师傅上门吗？", "要", "yes"},
		{"需要我帮您开工单，安排师傅上门吗？", "上门", ""},
		{"如果不方便，需要我帮您开工单吗？", "不用", "no"},
		{"您需要什么？", "需要", ""},
		{"订单是您本人下的吗？如果不是请告诉我。", "是我下的", ""},
		{"订单是您本人下的吗？如果不是请告诉我。", "是", "yes"},
		// Not read: a negative question, a wh-question, a statement.
		{"您还没收到退款吗？", "没收到", ""},
		{"您还没收到退款吗？", "收到了", ""},
		{"您想退哪个订单？", "是这个", ""},
		{"请告诉我订单号。", "没有", ""},
		{"", "收到了", ""},
		{light, "是的", ""},
		// English: the auxiliary echoed, or its negation.
		{light, "it is", "yes"},
		{light, "It's green", "yes"},
		{light, "yes it is", "yes"},
		{light, "yeah, it's green.", "yes"},
		{light, "it is green now", "yes"},
		{light, "it isn't", "no"},
		{light, "it's not", "no"},
		{light, "It’s not green", "no"},
		{light, "it is not", "no"},
		{light, "no it's red", ""},
		{light, "it's red", ""},
		{light, "it's on", ""},
		{light, "it is?", ""},
		{light, "it is, but it blinks", ""},
		{light, "I did", ""},
		{light, "is", ""},
		{light, "green", ""},
		{light, "no, it is", ""},
		{restart, "I did", "yes"},
		{restart, "I have", "yes"},
		{restart, "yes I did", "yes"},
		{restart, "I restarted it", "yes"},
		{restart, "I didn't", "no"},
		{restart, "I haven't", "no"},
		{restart, "not yet", "no"},
		{restart, "I did not", "no"},
		{restart, "I restarted the modem", ""},
		{restart, "I did it", "yes"},
		{restart, "I did it twice", ""},
		{light, "I'm not sure", ""},
		{"Are you still there?", "I'm not sure", ""},
		{"Do you know your order number?", "I don't know", "no"},
		{works, "it doesn't matter", ""},
		{works, "it works sometimes", ""},
		{"Can you log in now?", "I can't remember my password", ""},
		{"Have you received the refund?", "I have a question", ""},
		{restart, "it did", ""},
		{restart, "I think so", "yes"},
		{restart, "I don't think so", "no"},
		{restart, "I did, but nothing changed", ""},
		{works, "it does", "yes"},
		{works, "it works", "yes"},
		{works, "it works now!", "yes"},
		{works, "it's working", "yes"},
		{works, "it doesn't", "no"},
		{works, "still doesn't", "no"},
		{works, "it still doesn't work", "no"},
		{works, "still not working", "no"},
		{works, "it's not working", "no"},
		{works, "yes, it doesn't", "no"},
		{works, "it is", ""},
		{works, "it broke", ""},
		{works, "does", ""},
		{"Have you received the refund?", "I have", "yes"},
		{"Have you received the refund?", "I've received it", "yes"},
		{"Have you received the refund?", "I haven't", "no"},
		{"Can you log in now?", "I can", "yes"},
		{"Can you log in now?", "I still can't", "no"},
		{"Can you log in now?", "I cannot", "no"},
		{"Would you like me to open a ticket?", "I would", "yes"},
		{"Would you like me to open a ticket?", "I'd like that", "yes"},
		{"Would you like me to open a ticket?", "I wouldn't", "no"},
		{"Are you still there?", "I am", "yes"},
		{"Is there a light on?", "there is", "yes"},
		{"Is there a light on?", "there isn't", "no"},
		// Not a yes-or-no question, or not asked in the answer's language.
		{"What is your order number?", "it is", ""},
		{"Tell me if it works.", "it does", ""},
		{"Isn't it green?", "it is", ""},
		// An alternative question asks which, not whether: wanting the
		// other half is no yes.
		{"Do you want to submit it or change the amount?", "I want to change the amount", ""},
		{"Do you want to submit or cancel?", "I want to cancel", ""},
		{"Do you want to submit or cancel?", "I do", ""},
		{"Do you want to submit it or not?", "I do", "yes"},
		{"Do you want to submit it or not?", "I don't", "no"},
		// A negated question is not read, as in Chinese: "you should" to
		// "Should I not submit it?" means do not.
		{"Should I not submit it?", "you should", ""},
		{"Do you not want me to submit it?", "I do", ""},
		{"Would you rather not submit it?", "I would", ""},
		{"Is it OK not to submit?", "it is", ""},
		{"Would you never use it again?", "I would", ""},
		{"Do you want me to submit it? It can’t be undone.", "I do", "yes"},
		{"So you don’t want me to submit it?", "I don't", ""},
		{green, "it is", ""},
		{light, "是绿色的", ""},
		// A bare 没有 or 还没 is no to an English question too, as a customer
		// switching to Chinese says it; no other echo is read across languages.
		{restart, "没有", "no"},
		{restart, "还没", "no"},
		{restart, "还没有呢", "no"},
		{restart, "没重启", ""},
		{restart, "有", ""},
		{light, "不是", ""},
		{"Should I not submit it?", "没有", ""},
		{"Do you want to submit or cancel?", "没有", ""},
		// A there-question: no before the noun negates, and one stands for
		// the noun; "theres" is "there's" typed without its apostrophe.
		// A verb with 不了 or 得了, or after 没法, says whether they can.
		{"您能按时交回吗？", "交不了", "no"},
		{"您能按时交回吗？", "没法交回", "no"},
		{"您能按时交回吗？", "没办法", "no"},
		{"您能按时交回吗？", "今天交不了了", "no"},
		{"您能按时交回吗？", "交得了", "yes"},
		{"您能按时交回吗？", "嗯，交得了", "yes"},
		{"您明天能还车吗？", "还不了", "no"},
		{"您明天能来店里吗？", "去不了", "no"},
		{"您今天交回吗？", "交不了", "no"},
		{"您还需要开工单吗？", "还不了", ""},
		{"您还需要开工单吗？", "受不了", ""},
		{"您收到退款了吗？", "受不了", ""},
		{"您能按时交回吗？", "不是交不了", ""},
		{"您能按时交回吗？", "我觉得交不了", ""},
		{"Is there a lift?", "there is", "yes"},
		{"Is there a lift?", "there's a lift", "yes"},
		{"Is there a lift?", "theres a lift", "yes"},
		{"Is there a lift?", "there is one", "yes"},
		{"Is there a lift?", "there's no lift", "no"},
		{"Is there a lift?", "theres no lift", "no"},
		{"Is there a lift?", "there is no lift", "no"},
		{"Is there a lift?", "there isn't one", "no"},
		{"Is there a lift?", "there's no stairs", ""},
		{"Is there a lift?", "there is a car park", ""},
		{"Is the light on your router green?", "it is no green", ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.question, tt.answer), func(t *testing.T) {
			if diff := cmp.Diff(tt.want, EchoAnswer(tt.question, tt.answer)); diff != "" {
				t.Errorf("EchoAnswer(%q, %q) (-want +got):\n%s", tt.question, tt.answer, diff)
			}
		})
	}
}

// ReadEcho says when an echo goes on with more than thanks: that rest may
// be a request of its own ("有，我想退款" to "还有其他问题吗").
func TestReadEchoSaysMore(t *testing.T) {
	const (
		other = "您还有其他问题吗？"
		light = "Is the light on your router green?"
	)
	type read struct {
		Answer string
		More   bool
	}
	tests := []struct {
		question, answer string
		want             read
	}{
		{other, "有", read{"yes", false}},
		{other, "有，我想退款", read{"yes", true}},
		{other, "没有了，谢谢", read{"no", false}},
		{other, "没有，谢谢啦", read{"no", false}},
		{"您收到退款了吗？", "对，没收到", read{"no", false}},
		{"您收到退款了吗？", "收到了。顺便查一下物流", read{"yes", true}},
		{light, "it is, thanks", read{"yes", false}},
		{light, "it is. thank you very much", read{"yes", false}},
		{light, "yes it is, thank you so much", read{"yes", false}},
		{other, "没有了，好的谢谢", read{"no", false}},
		{light, "it is, I want a refund", read{"yes", true}},
		{light, "no, it isn't", read{"no", false}},
		{light, "it's red, I want a refund", read{"", false}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.question, tt.answer), func(t *testing.T) {
			var got read
			got.Answer, got.More = ReadEcho(tt.question, tt.answer)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReadEcho(%q, %q) (-want +got):\n%s", tt.question, tt.answer, diff)
			}
		})
	}
}

// FuzzEchoAnswer holds EchoAnswer to its contract on any text: no panic, and
// only "yes", "no" or "".
func FuzzEchoAnswer(f *testing.F) {
	f.Add("路由器的灯是绿色的吗？", "是绿色的")
	f.Add("需不需要我帮您转人工？", "不用了")
	f.Add("是否", "是")
	f.Add("能不", "能")
	f.Add("Does it work now?", "it's not working")
	f.Add("Is?", "it is")
	f.Fuzz(func(t *testing.T, question, answer string) {
		switch got := EchoAnswer(question, answer); got {
		case "yes", "no", "":
		default:
			t.Fatalf("EchoAnswer(%q, %q) = %q", question, answer, got)
		}
	})
}
