package nlu

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var shanghai = time.FixedZone("CST", 8*3600)

// Monday 2026-11-23, 10:00 in Shanghai.
var testOpts = ParseOptions{Now: time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai), Location: shanghai}

func shopModel(t testing.TB) *Model {
	t.Helper()
	m, err := Train(context.Background(), shopData(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"What's the STATUS of my order?", []string{"what's", "the", "status", "of", "my", "order"}},
		{"Ｒｅｆｕｎｄ　ＡＢ１２３", []string{"refund", "ab123"}},
		{"退款", []string{"退", "退款", "款"}},
		{"订单AB123456退款", []string{"订", "订单", "单", "ab123456", "退", "退款", "款"}},
		{"I’m here", []string{"i'm", "here"}},
		{"  ", nil},
		{"café 2,5", []string{"café", "2", "5"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Tokenize(tt.in)); diff != "" {
			t.Errorf("Tokenize(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestDetectLanguage(t *testing.T) {
	tests := map[string]string{
		"where is my order": "en", "我的订单到哪了": "zh", "订单AB123456退款": "zh", "": "en",
		"refund 退款 please for my order": "en", "12345": "en", "请帮我查一下 order AB123456": "zh",
	}
	for in, want := range tests {
		if got := DetectLanguage(in); got != want {
			t.Errorf("DetectLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}

// ent is the part of an Entity the tables compare.
type ent struct {
	Type, Value, Text string
	Number            float64
	Currency          string
}

func project(es []Entity) []ent {
	var out []ent
	for _, e := range es {
		out = append(out, ent{e.Type, e.Value, e.Text, e.Number, e.Currency})
	}
	return out
}

func TestEntities(t *testing.T) {
	m := shopModel(t)
	tests := []struct {
		in   string
		want []ent
	}{
		// user regex and list entities
		{"refund ab123456 please", []ent{{"order_id", "AB123456", "ab123456", 0, ""}}},
		{"订单AB123456退款", []ent{{"order_id", "AB123456", "AB123456", 0, ""}}},
		{"code XAB1234567 is not an order", nil},
		{"my MacBook arrived broken", []ent{{"product", "laptop", "MacBook", 0, ""}, {"refund_reason", "damaged", "arrived broken", 0, ""}}},
		// a synonym's English plural is the synonym
		{"two headsets and 3 laptops", []ent{{"number", "2", "two", 2, ""}, {"product", "headphones", "headsets", 0, ""}, {"number", "3", "3", 3, ""}, {"product", "laptop", "laptops", 0, ""}}},
		{"both smartphones", []ent{{"product", "phone", "smartphones", 0, ""}}},
		{"notebookish", nil},
		{"ipads", []ent{{"product", "tablet", "ipads", 0, ""}}},
		{"我的笔记本电脑坏了", []ent{{"product", "laptop", "笔记本电脑", 0, ""}, {"refund_reason", "damaged", "坏了", 0, ""}}},
		{"the notebooks", []ent{{"product", "laptop", "notebooks", 0, ""}}}, // whole words only for Latin synonyms, or their plural
		{"I changed my mind", []ent{{"refund_reason", "changed_mind", "changed my mind", 0, ""}}},
		// number
		{"I want 3", []ent{{"number", "3", "3", 3, ""}}},
		{"1,280 of them", []ent{{"number", "1280", "1,280", 1280, ""}}},
		{"2.5 kilos", []ent{{"number", "2.5", "2.5", 2.5, ""}}},
		{"twenty five boxes", []ent{{"number", "25", "twenty five", 25, ""}}},
		{"three hundred and twenty", []ent{{"number", "320", "three hundred and twenty", 320, ""}}},
		{"a couple of boxes", []ent{{"number", "2", "a couple of", 2, ""}}},
		{"a couple hundred flyers", []ent{{"number", "200", "a couple hundred", 200, ""}}},
		{"couple thousand cards", []ent{{"number", "2000", "couple thousand", 2000, ""}}},
		{"couple of boxes", []ent{{"number", "2", "couple of", 2, ""}}},
		{"in a couple of days", []ent{{"date", "2026-11-25", "in a couple of days", 0, ""}}}, // a date, no count
		{"a couple", nil},
		{"I've called a couple of times", nil}, // said in passing: no quantity
		{"I have a couple of questions", nil},
		{"我要三个", []ent{{"number", "3", "三", 3, ""}}},
		{"一千二百八十件", []ent{{"number", "1280", "一千二百八十", 1280, ""}}},
		{"十五", []ent{{"number", "15", "十五", 15, ""}}},
		// a digit after the unit is the next place, as in 三百五
		{"读数1千3", []ent{{"number", "1300", "1千3", 1300, ""}}},
		{"1万2", []ent{{"number", "12000", "1万2", 12000, ""}}},
		{"2千五", []ent{{"number", "2500", "2千五", 2500, ""}}},
		{"3万5千", []ent{{"number", "35000", "3万5千", 35000, ""}}}, // as 三万五千 reads
		{"2千50", []ent{{"number", "2000", "2千", 2000, ""}, {"number", "50", "50", 50, ""}}},
		{"看一下", nil},
		{"iphone15", nil},
		// "one" and 一 that stand for a thing already named, not the number 1
		{"the same one", nil},
		{"use the same one please", nil},
		{"which one", nil},
		{"同一个户号", nil},
		{"每一个订单", nil},
		{"我们一家三口", []ent{{"number", "3", "三", 3, ""}}},
		{"就我一家", []ent{{"number", "1", "一", 1, ""}}},
		{"俩人", []ent{{"number", "2", "俩", 2, ""}}},
		{"我们仨", []ent{{"number", "3", "仨", 3, ""}}},
		{"one more thing", []ent{{"number", "1", "one", 1, ""}}},
		{"I want one", []ent{{"number", "1", "one", 1, ""}}},
		{"only one please", []ent{{"number", "1", "one", 1, ""}}},
		{"one hundred", []ent{{"number", "100", "one hundred", 100, ""}}},
		{"the twenty one boxes", []ent{{"number", "21", "twenty one", 21, ""}}},
		// money
		{"it cost ¥499", []ent{{"money", "499.00", "¥499", 499, "CNY"}}},
		{"it cost ￥499", []ent{{"money", "499.00", "￥499", 499, "CNY"}}},
		{"$20.50 please", []ent{{"money", "20.50", "$20.50", 20.5, "USD"}}},
		{"about £2k", []ent{{"money", "2000.00", "£2k", 2000, "GBP"}}},
		{"1.5k pounds", []ent{{"money", "1500.00", "1.5k pounds", 1500, "GBP"}}},
		{"roughly 3K", []ent{{"number", "3000", "3K", 3000, ""}}},
		{"两千镑", []ent{{"money", "2000.00", "两千镑", 2000, "GBP"}}},
		{"€15 or £10", []ent{{"money", "15.00", "€15", 15, "EUR"}, {"money", "10.00", "£10", 10, "GBP"}}},
		{"500 yuan", []ent{{"money", "500.00", "500 yuan", 500, "CNY"}}},
		{"退500元", []ent{{"money", "500.00", "500元", 500, "CNY"}}},
		{"五百块", []ent{{"money", "500.00", "五百块", 500, "CNY"}}},
		{"USD 20", []ent{{"money", "20.00", "USD 20", 20, "USD"}}},
		{"20 dollars", []ent{{"money", "20.00", "20 dollars", 20, "USD"}}},
		{"charged 50 quid", []ent{{"money", "50.00", "50 quid", 50, "GBP"}}},
		{"just 1 pound", []ent{{"money", "1.00", "1 pound", 1, "GBP"}}},
		{"45 pounds", []ent{{"money", "45.00", "45 pounds", 45, "GBP"}}},
		{"50英镑", []ent{{"money", "50.00", "50英镑", 50, "GBP"}}},
		{"值350英磅", []ent{{"money", "350.00", "350英磅", 350, "GBP"}}}, // the common misspelling of 英镑
		{"1,280 rmb", []ent{{"money", "1280.00", "1,280 rmb", 1280, "CNY"}}},
		{"a hundred dollars", []ent{{"money", "100.00", "a hundred dollars", 100, "USD"}}},
		{"50$ please", []ent{{"money", "50.00", "50$", 50, "USD"}}},
		{"50 € please", []ent{{"money", "50.00", "50 €", 50, "EUR"}}},
		{"五十块", []ent{{"money", "50.00", "五十块", 50, "CNY"}}},
		{"退了50刀", []ent{{"money", "50.00", "50刀", 50, "USD"}}},
		{"二百美刀", []ent{{"money", "200.00", "二百美刀", 200, "USD"}}},
		{"三十八块五", []ent{{"money", "38.50", "三十八块五", 38.5, "CNY"}}},
		{"退38块5吧", []ent{{"money", "38.50", "38块5", 38.5, "CNY"}}},
		{"多收了2千5", []ent{{"number", "2500", "2千5", 2500, ""}}},
		{"2千5块", []ent{{"money", "2500.00", "2千5块", 2500, "CNY"}}},
		{"一块五毛钱", []ent{{"money", "1.50", "一块五毛钱", 1.5, "CNY"}}},
		// 一块 alone is a piece or "together", not a yuan
		{"门牙磕掉一块", []ent{{"number", "1", "一", 1, ""}}},
		{"我们一块去", []ent{{"number", "1", "一", 1, ""}}},
		{"一块钱", []ent{{"money", "1.00", "一块钱", 1, "CNY"}}},
		{"1块", []ent{{"money", "1.00", "1块", 1, "CNY"}}},
		{"一块五", []ent{{"money", "1.50", "一块五", 1.5, "CNY"}}},
		{"五毛", []ent{{"money", "0.50", "五毛", 0.5, "CNY"}}},
		{"五块五个", []ent{{"money", "5.00", "五块", 5, "CNY"}, {"number", "5", "五", 5, ""}}},
		{"5毛衣", []ent{{"number", "5", "5", 5, ""}}},
		{"a few", nil},
		// date ranges (now: Monday 2026-11-23)
		{"charges from last month", []ent{{"date_range", "2026-10-01/2026-10-31", "last month", 0, ""}}},
		{"this week", []ent{{"date_range", "2026-11-23/2026-11-29", "this week", 0, ""}}},
		{"last week", []ent{{"date_range", "2026-11-16/2026-11-22", "last week", 0, ""}}},
		{"next year", []ent{{"date_range", "2027-01-01/2027-12-31", "next year", 0, ""}}},
		{"in the past 3 days", []ent{{"date_range", "2026-11-21/2026-11-23", "the past 3 days", 0, ""}}},
		{"the last two weeks", []ent{{"date_range", "2026-11-10/2026-11-23", "the last two weeks", 0, ""}}},
		{"January 2019", []ent{{"date_range", "2019-01-01/2019-01-31", "January 2019", 0, ""}}},
		{"in March", []ent{{"date_range", "2026-03-01/2026-03-31", "March", 0, ""}}},
		{"in December", []ent{{"date_range", "2025-12-01/2025-12-31", "December", 0, ""}}},
		// a month named alone is that month, the most recent one
		{"the october one", []ent{{"date_range", "2026-10-01/2026-10-31", "october", 0, ""}, {"number", "1", "one", 1, ""}}},
		{"my Oct bill", []ent{{"date_range", "2026-10-01/2026-10-31", "Oct", 0, ""}}},
		{"dispute my bill for december", []ent{{"date_range", "2025-12-01/2025-12-31", "december", 0, ""}}},
		{"October 5", []ent{{"date", "2026-10-05", "October 5", 0, ""}}},
		{"5 Oct please", []ent{{"date", "2026-10-05", "5 Oct", 0, ""}}},
		{"October 2025", []ent{{"date_range", "2025-10-01/2025-10-31", "October 2025", 0, ""}}},
		{"May", []ent{{"date_range", "2026-05-01/2026-05-31", "May", 0, ""}}},
		{"the bill for March", []ent{{"date_range", "2026-03-01/2026-03-31", "March", 0, ""}}},
		{"may I pay later", nil},
		{"I march on", nil},
		{"in 2019", []ent{{"date_range", "2019-01-01/2019-12-31", "2019", 0, ""}}},
		{"from Nov 2 to Nov 5", []ent{{"date_range", "2026-11-02/2026-11-05", "from Nov 2 to Nov 5", 0, ""}}},
		{"上个月", []ent{{"date_range", "2026-10-01/2026-10-31", "上个月", 0, ""}}},
		{"本月账单", []ent{{"date_range", "2026-11-01/2026-11-30", "本月", 0, ""}}},
		// a part of a month or year is no period the bot can tell: not the
		// whole of it. A deadline at its end is its last day, and so is the
		// end of a month named from today; its start is its first day
		// (date_phrases.go).
		{"本月底送货", []ent{{"date", "2026-11-30", "本月底", 0, ""}}},
		{"下个月初", []ent{{"date", "2026-12-01", "下个月初", 0, ""}}},
		{"明年年底", nil},
		{"这个月中旬", nil},
		{"下个月月底", []ent{{"date", "2026-12-31", "下个月月底", 0, ""}}},
		// a month named by its number keeps its whole month, the most recent one
		{"12月底", []ent{{"date_range", "2025-12-01/2025-12-31", "12月", 0, ""}}},
		{"12月底之前", []ent{{"date", "2026-12-31", "12月底之前", 0, ""}}},
		{"the end of next month", []ent{{"date", "2026-12-31", "end of next month", 0, ""}}},
		{"by the end of next month", []ent{{"date", "2026-12-31", "by the end of next month", 0, ""}}},
		{"at the start of this year", nil},
		{"the end of this week", []ent{{"date_range", "2026-11-23/2026-11-29", "this week", 0, ""}}},
		{"上周的订单", []ent{{"date_range", "2026-11-16/2026-11-22", "上周", 0, ""}}},
		{"过去三天", []ent{{"date_range", "2026-11-21/2026-11-23", "过去三天", 0, ""}}},
		{"最近一个月", []ent{{"date_range", "2026-10-24/2026-11-23", "最近一个月", 0, ""}}},
		{"近半年", []ent{{"date_range", "2026-05-24/2026-11-23", "近半年", 0, ""}}},
		{"2019年1月", []ent{{"date_range", "2019-01-01/2019-01-31", "2019年1月", 0, ""}}},
		{"去年", []ent{{"date_range", "2025-01-01/2025-12-31", "去年", 0, ""}}},
		// a year word before an age is no period
		{"我今年23岁", []ent{{"number", "23", "23", 23, ""}}},
		{"明年就满二十五周岁了", []ent{{"number", "25", "二十五", 25, ""}}},
		{"从11月2日到11月5日", []ent{{"date_range", "2026-11-02/2026-11-05", "从11月2日到11月5日", 0, ""}}},
		// a first day and a length
		{"on 5 Dec for a week", []ent{{"date_range", "2026-12-05/2026-12-11", "5 Dec for a week", 0, ""}}},
		{"from Dec 5 for 10 days", []ent{{"date_range", "2026-12-05/2026-12-14", "from Dec 5 for 10 days", 0, ""}}},
		{"next friday for two weeks", []ent{{"date_range", "2026-12-04/2026-12-17", "next friday for two weeks", 0, ""}}},
		{"12月20号出发，玩10天", []ent{{"date_range", "2026-12-20/2026-12-29", "12月20号出发，玩10天", 0, ""}}},
		{"12月5日起两周", []ent{{"date_range", "2026-12-05/2026-12-18", "12月5日起两周", 0, ""}}},
		{"12月1日到5日，共5天", []ent{{"date_range", "2026-12-01/2026-12-05", "12月1日到5日", 0, ""}, {"number", "5", "5", 5, ""}}},
		{"Dec 5 for a few days", []ent{{"date", "2026-12-05", "Dec 5", 0, ""}}},
		{"12月5号3天后", []ent{{"date", "2026-12-05", "12月5号", 0, ""}, {"date", "2026-11-26", "3天后", 0, ""}}}, // no length: a day of its own
		// the month written once
		{"Dec 1-4", []ent{{"date_range", "2026-12-01/2026-12-04", "Dec 1-4", 0, ""}}},
		{"from December 1st to 4th", []ent{{"date_range", "2026-12-01/2026-12-04", "from December 1st to 4th", 0, ""}}},
		{"1st to 4th December", []ent{{"date_range", "2026-12-01/2026-12-04", "1st to 4th December", 0, ""}}},
		{"from 3 to 6 January", []ent{{"date_range", "2027-01-03/2027-01-06", "from 3 to 6 January", 0, ""}}},
		{"from the 1st to the 4th of December", []ent{{"date_range", "2026-12-01/2026-12-04", "from the 1st to the 4th of December", 0, ""}}},
		{"12月1日到4日", []ent{{"date_range", "2026-12-01/2026-12-04", "12月1日到4日", 0, ""}}},
		{"从12月1号至4号", []ent{{"date_range", "2026-12-01/2026-12-04", "从12月1号至4号", 0, ""}}},
		{"12月1号-4号", []ent{{"date_range", "2026-12-01/2026-12-04", "12月1号-4号", 0, ""}}},
		{"从12月1日~4日", []ent{{"date_range", "2026-12-01/2026-12-04", "从12月1日~4日", 0, ""}}},
		// 28日 alone would be this month's 28th (Nov 28 here); after 12月25日 it is December's
		{"12月25日到28日", []ent{{"date_range", "2026-12-25/2026-12-28", "12月25日到28日", 0, ""}}},
		{"1月5号至8号", []ent{{"date_range", "2027-01-05/2027-01-08", "1月5号至8号", 0, ""}}},
		// a day already past ends a range of its month, not the next month's
		{"11月1日到5日", []ent{{"date_range", "2026-11-01/2026-11-05", "11月1日到5日", 0, ""}}},
		{"11月20日到22号", []ent{{"date_range", "2026-11-20/2026-11-22", "11月20日到22号", 0, ""}}},
		{"Dec 28-3", []ent{{"date", "2026-12-28", "Dec 28", 0, ""}, {"number", "3", "3", 3, ""}}}, // into January: not guessed
		// weekends (Saturday and Sunday of the calendar week)
		{"a car for this weekend", []ent{{"date_range", "2026-11-28/2026-11-29", "this weekend", 0, ""}}},
		{"over the weekend", []ent{{"date_range", "2026-11-28/2026-11-29", "the weekend", 0, ""}}},
		{"next weekend", []ent{{"date_range", "2026-12-05/2026-12-06", "next weekend", 0, ""}}},
		{"这周末用车", []ent{{"date_range", "2026-11-28/2026-11-29", "这周末", 0, ""}}},
		{"下周末", []ent{{"date_range", "2026-12-05/2026-12-06", "下周末", 0, ""}}},
		{"周末有人吗", []ent{{"date_range", "2026-11-28/2026-11-29", "周末", 0, ""}}},
		{"between the 2nd and 4th of December", []ent{{"date_range", "2026-12-02/2026-12-04", "between the 2nd and 4th of December", 0, ""}}},
		{"2 and 4 December", []ent{{"number", "2", "2", 2, ""}, {"date", "2026-12-04", "4 December", 0, ""}}}, // two days, or a range: not guessed
		// a weekday after another is the one that follows it
		{"next monday to wednesday", []ent{{"date_range", "2026-11-30/2026-12-02", "next monday to wednesday", 0, ""}}},
		{"下周一到周三", []ent{{"date_range", "2026-11-30/2026-12-02", "下周一到周三", 0, ""}}},
		{"from Friday to Monday", []ent{{"date_range", "2026-11-27/2026-11-30", "from Friday to Monday", 0, ""}}},
		{"Dec 1 to 4 Dec", []ent{{"date_range", "2026-12-01/2026-12-04", "Dec 1 to 4 Dec", 0, ""}}},
		{"上周一", []ent{{"date", "2026-11-16", "上周一", 0, ""}}}, // a day, not a week
		{"三个月", []ent{{"number", "3", "三", 3, ""}}},          // a duration, not a month
		{"last monday", []ent{{"date", "2026-11-16", "last monday", 0, ""}}},
		// person names
		{"send money to Karen", []ent{{"person", "Karen", "Karen", 0, ""}}},
		{"send 50 to karen", []ent{{"number", "50", "50", 50, ""}, {"person", "karen", "karen", 0, ""}}},
		{"pay Karen Smith $20", []ent{{"person", "Karen Smith", "Karen Smith", 0, ""}, {"money", "20.00", "$20", 20, "USD"}}},
		{"my name is Zed Brown", []ent{{"person", "Zed Brown", "Zed Brown", 0, ""}}},
		{"this is Olu", []ent{{"person", "Olu", "Olu", 0, ""}}},
		{"send it to Paris", nil},
		{"I want to mark it as received", nil},
		{"转账给王小明", []ent{{"person", "王小明", "王小明", 0, ""}}},
		{"给张三转500块", []ent{{"person", "张三", "张三", 0, ""}, {"money", "500.00", "500块", 500, "CNY"}}},
		{"收件人是欧阳娜娜", []ent{{"person", "欧阳娜娜", "欧阳娜娜", 0, ""}}},
		{"给我退款", nil},
		{"找人工", nil},
		// email
		{"mail Bob.Smith@Example.com now", []ent{{"email", "bob.smith@example.com", "Bob.Smith@Example.com", 0, ""}}},
		{"not an email: a@b", nil},
		// phone
		{"13812345678", []ent{{"phone", "13812345678", "13812345678", 0, ""}}},
		{"call 138-1234-5678", []ent{{"phone", "13812345678", "138-1234-5678", 0, ""}}},
		{"+86 138 1234 5678", []ent{{"phone", "+8613812345678", "+86 138 1234 5678", 0, ""}}},
		{"(555) 123-4567", []ent{{"phone", "5551234567", "(555) 123-4567", 0, ""}}},
		{"555-123-4567", []ent{{"phone", "5551234567", "555-123-4567", 0, ""}}},
		{"电话010-12345678", []ent{{"phone", "01012345678", "010-12345678", 0, ""}}},
		{"1万2千", []ent{{"number", "12000", "1万2千", 12000, ""}}},
		{"3万5千5", []ent{{"number", "35500", "3万5千5", 35500, ""}}},
		{"损失1万2千元", []ent{{"money", "12000.00", "1万2千元", 12000, "CNY"}}},
		{"call me on 07700 900123", []ent{{"phone", "07700900123", "07700 900123", 0, ""}}},
		{"07700900123", []ent{{"phone", "07700900123", "07700900123", 0, ""}}},
		{"020 7946 0958", []ent{{"phone", "02079460958", "020 7946 0958", 0, ""}}},
		{"0113 496 0123", []ent{{"phone", "01134960123", "0113 496 0123", 0, ""}}},
		{"12812345678", []ent{{"number", "12812345678", "12812345678", 12812345678, ""}}},
		// date (now: Monday 2026-11-23)
		{"2026-11-25", []ent{{"date", "2026-11-25", "2026-11-25", 0, ""}}},
		{"on 11/25", []ent{{"date", "2026-11-25", "11/25", 0, ""}}},
		{"Nov 25", []ent{{"date", "2026-11-25", "Nov 25", 0, ""}}},
		{"25th of November", []ent{{"date", "2026-11-25", "25th of November", 0, ""}}},
		{"Jan 5", []ent{{"date", "2027-01-05", "Jan 5", 0, ""}}},
		{"today", []ent{{"date", "2026-11-23", "today", 0, ""}}},
		{"tomorrow", []ent{{"date", "2026-11-24", "tomorrow", 0, ""}}},
		{"the day after tomorrow", []ent{{"date", "2026-11-25", "the day after tomorrow", 0, ""}}},
		{"friday", []ent{{"date", "2026-11-27", "friday", 0, ""}}},
		{"monday", []ent{{"date", "2026-11-23", "monday", 0, ""}}},
		{"next friday", []ent{{"date", "2026-12-04", "next friday", 0, ""}}},
		{"next wed", []ent{{"date", "2026-12-02", "next wed", 0, ""}}},
		{"fri", []ent{{"date", "2026-11-27", "fri", 0, ""}}},
		{"this sat", []ent{{"date", "2026-11-28", "this sat", 0, ""}}},
		{"I sat down", nil},
		{"the 2nd", []ent{{"date", "2026-12-02", "the 2nd", 0, ""}}},
		{"on the 25th in the morning", []ent{{"date", "2026-11-25", "the 25th", 0, ""}}},
		{"the 3rd time", []ent{{"number", "3", "3", 3, ""}}},
		{"the 2nd floor", []ent{{"number", "2", "2", 2, ""}}},
		{"I'm the 1st in line", []ent{{"number", "1", "1", 1, ""}}},
		{"the 3rd in a row", []ent{{"number", "3", "3", 3, ""}}},
		{"the 2nd in the afternoon", []ent{{"date", "2026-12-02", "the 2nd", 0, ""}}},
		{"next sat", []ent{{"date", "2026-12-05", "next sat", 0, ""}}},
		// 一下 (a bit) before a day: its 下 is no "next"
		{"帮我预约一下周日的洗牙", []ent{{"date", "2026-11-29", "周日", 0, ""}}},
		{"查一下下周日的预约", []ent{{"date", "2026-12-06", "下周日", 0, ""}}},
		{"预约一下周末", []ent{{"date_range", "2026-11-28/2026-11-29", "周末", 0, ""}}},
		{"看一下下周的排班", []ent{{"date_range", "2026-11-30/2026-12-06", "下周", 0, ""}}},
		{"周一下周二都行", []ent{{"date", "2026-11-23", "周一", 0, ""}, {"date", "2026-12-01", "下周二", 0, ""}}},
		{"下周日", []ent{{"date", "2026-12-06", "下周日", 0, ""}}},
		// coming is after today (a Monday)
		{"this coming monday", []ent{{"date", "2026-11-30", "coming monday", 0, ""}}},
		{"coming fri", []ent{{"date", "2026-11-27", "coming fri", 0, ""}}},
		{"monday", []ent{{"date", "2026-11-23", "monday", 0, ""}}},
		// alone, as the answer to "Which day?", sat is Saturday
		{"sat", []ent{{"date", "2026-11-28", "sat", 0, ""}}},
		{"Sun.", []ent{{"date", "2026-11-29", "Sun", 0, ""}}},
		{"on mon please", []ent{{"date", "2026-11-23", "mon", 0, ""}}},
		{"sat down", nil},
		{"the sun", nil},
		{"今天", []ent{{"date", "2026-11-23", "今天", 0, ""}}},
		{"明天", []ent{{"date", "2026-11-24", "明天", 0, ""}}},
		{"今晚七点", []ent{{"date", "2026-11-23", "今晚", 0, ""}, {"number", "7", "七", 7, ""}}},
		{"明晚6点半", []ent{{"date", "2026-11-24", "明晚", 0, ""}, {"number", "6", "6", 6, ""}}},
		{"明早", []ent{{"date", "2026-11-24", "明早", 0, ""}}},
		{"昨晚送的外卖", []ent{{"date", "2026-11-22", "昨晚", 0, ""}}},
		{"后天到", []ent{{"date", "2026-11-25", "后天", 0, ""}}},
		{"大后天", []ent{{"date", "2026-11-26", "大后天", 0, ""}}},
		{"周五", []ent{{"date", "2026-11-27", "周五", 0, ""}}},
		{"星期天", []ent{{"date", "2026-11-29", "星期天", 0, ""}}},
		{"下周一", []ent{{"date", "2026-11-30", "下周一", 0, ""}}},
		{"11月25日", []ent{{"date", "2026-11-25", "11月25日", 0, ""}}},
		// a day without 日 or 号, as customers type it; not before a unit that counts
		{"12月5搬家", []ent{{"date", "2026-12-05", "12月5", 0, ""}}},
		{"十二月五", []ent{{"date", "2026-12-05", "十二月五", 0, ""}}},
		{"12月5，上午", []ent{{"date", "2026-12-05", "12月5", 0, ""}}},
		{"12月5个", []ent{{"number", "12", "12", 12, ""}, {"number", "5", "5", 5, ""}}},
		{"12月5位客人", []ent{{"number", "12", "12", 12, ""}, {"number", "5", "5", 5, ""}}},
		{"12月3件", []ent{{"number", "12", "12", 12, ""}, {"number", "3", "3", 3, ""}}},
		{"12月5张票", []ent{{"number", "12", "12", 12, ""}, {"number", "5", "5", 5, ""}}},
		{"2027年1月3号", []ent{{"date", "2027-01-03", "2027年1月3号", 0, ""}}},
		// a day of the month alone, and days from today
		{"25号再送", []ent{{"date", "2026-11-25", "25号", 0, ""}}},
		{"二十三日", []ent{{"date", "2026-11-23", "二十三日", 0, ""}}}, // today
		{"1号", []ent{{"date", "2026-12-01", "1号", 0, ""}}},     // this month's has passed
		{"31号", []ent{{"date", "2026-12-31", "31号", 0, ""}}},   // November has no 31st
		{"下个月3号", []ent{{"date", "2026-12-03", "下个月3号", 0, ""}}},
		{"the 3rd of next month", []ent{{"date", "2026-12-03", "the 3rd of next month", 0, ""}}},
		{"on 1st of next month", []ent{{"date", "2026-12-01", "1st of next month", 0, ""}}},
		{"the 30th of this month", []ent{{"date", "2026-11-30", "the 30th of this month", 0, ""}}},
		{"the 31st of this month", []ent{{"number", "31", "31", 31, ""}, {"date_range", "2026-11-01/2026-11-30", "this month", 0, ""}}},
		{"3天后", []ent{{"date", "2026-11-26", "3天后", 0, ""}}},
		{"两天以后", []ent{{"date", "2026-11-25", "两天以后", 0, ""}}},
		{"in 3 days", []ent{{"date", "2026-11-26", "in 3 days", 0, ""}}},
		{"in two weeks", []ent{{"date", "2026-12-07", "in two weeks", 0, ""}}},
		{"can pay again in 2 months", []ent{{"date", "2027-01-23", "in 2 months", 0, ""}}},
		{"in a week", []ent{{"date", "2026-11-30", "in a week", 0, ""}}},
		{"两周后", []ent{{"date", "2026-12-07", "两周后", 0, ""}}},
		{"一个月以后再还", []ent{{"date", "2026-12-23", "一个月以后", 0, ""}}},
		{"within 2 weeks", []ent{{"number", "2", "2", 2, ""}}},
		// days before today: a purchase, a delivery
		{"3 days ago", []ent{{"date", "2026-11-20", "3 days ago", 0, ""}}},
		{"bought it two weeks ago", []ent{{"date", "2026-11-09", "two weeks ago", 0, ""}}},
		{"a month ago", []ent{{"date", "2026-10-23", "a month ago", 0, ""}}},
		{"三天前", []ent{{"date", "2026-11-20", "三天前", 0, ""}}},
		{"两周前买的", []ent{{"date", "2026-11-09", "两周前", 0, ""}}},
		{"3个月以前", []ent{{"date", "2026-08-23", "3个月以前", 0, ""}}},
		{"上个月5号", []ent{{"date", "2026-10-05", "上个月5号", 0, ""}}},
		{"去年12月1日", []ent{{"date", "2025-12-01", "去年12月1日", 0, ""}}},
		{"今年3月15号", []ent{{"date", "2026-03-15", "今年3月15号", 0, ""}}},
		{"前天", []ent{{"date", "2026-11-21", "前天", 0, ""}}},
		{"大前天坐的地铁", []ent{{"date", "2026-11-20", "大前天", 0, ""}}},
		{"charged the day before yesterday", []ent{{"date", "2026-11-21", "the day before yesterday", 0, ""}}},
		{"I took the bus last night", []ent{{"date", "2026-11-22", "last night", 0, ""}}},
		{"This morning the gate charged me twice", []ent{{"date", "2026-11-23", "This morning", 0, ""}}},
		{"in a couple of days", []ent{{"date", "2026-11-25", "in a couple of days", 0, ""}}},
		{"明儿", []ent{{"date", "2026-11-24", "明儿", 0, ""}}},
		{"3号楼", []ent{{"number", "3", "3", 3, ""}}},
		{"地铁5号线", []ent{{"number", "5", "5", 5, ""}}},
		{"一日游", []ent{{"number", "1", "一", 1, ""}}},
		{"第3号", []ent{{"number", "3", "3", 3, ""}}},
		{"我家住3号", []ent{{"number", "3", "3", 3, ""}}},
		{"房间号是25号", []ent{{"number", "25", "25", 25, ""}}},
		{"座位12号", []ent{{"number", "12", "12", 12, ""}}},
		{"我住的酒店25号之前退房", []ent{{"date", "2026-11-25", "25号", 0, ""}}}, // 住 not right before it
		{"我想住25号", []ent{{"date", "2026-11-25", "25号", 0, ""}}},       // staying, not living at
		{"我要订房25号", []ent{{"date", "2026-11-25", "25号", 0, ""}}},      // booking a room, for the 25th
		{"房间25号", []ent{{"number", "25", "25", 25, ""}}},
		{"25号入住", []ent{{"date", "2026-11-25", "25号", 0, ""}}}, // what happens that day on a stay
		{"12月1日入住，3日退房", []ent{{"date", "2026-12-01", "12月1日", 0, ""}, {"date", "2026-12-03", "3日", 0, ""}}},
		{"28号走", []ent{{"date", "2026-11-28", "28号", 0, ""}}},
		{"25号晚上", []ent{{"date", "2026-11-25", "25号", 0, ""}}}, // a part of that day
		{"我3号晚上出的车祸", []ent{{"date", "2026-12-03", "3号", 0, ""}}},
		{"28号早上", []ent{{"date", "2026-11-28", "28号", 0, ""}}},
		{"25号那天", []ent{{"date", "2026-11-25", "25号", 0, ""}}},
		{"3号住宅楼", []ent{{"number", "3", "3", 3, ""}}}, // a building, not the 3rd
		{"5号走廊", []ent{{"number", "5", "5", 5, ""}}},
		{"25号住两晚", []ent{{"date", "2026-11-25", "25号", 0, ""}, {"number", "2", "两", 2, ""}}},
		{"周日", []ent{{"date", "2026-11-29", "周日", 0, ""}}},
		{"2026-02-30", []ent{{"number", "2026", "2026", 2026, ""}, {"number", "2", "02", 2, ""}, {"number", "30", "30", 30, ""}}}, // no such day
		// yes / no
		{"yes", []ent{{"yes_no", "yes", "yes", 0, ""}}},
		{"Yes please", []ent{{"yes_no", "yes", "Yes", 0, ""}}},
		{"sure, go ahead", []ent{{"yes_no", "yes", "sure", 0, ""}}},
		{"ok", []ent{{"yes_no", "yes", "ok", 0, ""}}},
		{"no", []ent{{"yes_no", "no", "no", 0, ""}}},
		{"nope", []ent{{"yes_no", "no", "nope", 0, ""}}},
		{"not now", []ent{{"yes_no", "no", "not now", 0, ""}}},
		{"no problem", []ent{{"yes_no", "yes", "no problem", 0, ""}}},
		{"是的", []ent{{"yes_no", "yes", "是的", 0, ""}}},
		{"好的，谢谢", []ent{{"yes_no", "yes", "好的", 0, ""}}},
		{"好", []ent{{"yes_no", "yes", "好", 0, ""}}},
		{"可以", []ent{{"yes_no", "yes", "可以", 0, ""}}},
		{"没问题", []ent{{"yes_no", "yes", "没问题", 0, ""}}},
		{"不", []ent{{"yes_no", "no", "不", 0, ""}}},
		{"不用", []ent{{"yes_no", "no", "不用", 0, ""}}},
		{"取消", []ent{{"yes_no", "no", "取消", 0, ""}}},
		{"确定", []ent{{"yes_no", "yes", "确定", 0, ""}}},
		{"确定吗", nil},
		{"不需要", []ent{{"yes_no", "no", "不需要", 0, ""}}},
		{"先不用了", []ent{{"yes_no", "no", "先不用", 0, ""}}},
		{"暂时不需要，谢谢", []ent{{"yes_no", "no", "暂时不需要", 0, ""}}},
		{"你好", nil},
		{"可以退货吗", nil},
		{"对不起", nil},
		{"is that right", nil},
		{"nothing", nil},
		// user-defined entities win: 不要了 is a refund reason, not a "no"
		{"不要了", []ent{{"refund_reason", "changed_mind", "不要了", 0, ""}}},
		// mixed
		{"Refund AB123456, ¥499, call 13812345678 tomorrow", []ent{
			{"order_id", "AB123456", "AB123456", 0, ""}, {"money", "499.00", "¥499", 499, "CNY"},
			{"phone", "13812345678", "13812345678", 0, ""}, {"date", "2026-11-24", "tomorrow", 0, ""}}},
	}
	for _, tt := range tests {
		got := m.Parse(tt.in, testOpts)
		if diff := cmp.Diff(tt.want, project(got.Entities)); diff != "" {
			t.Errorf("Parse(%q).Entities (-want +got):\n%s", tt.in, diff)
		}
		for _, e := range got.Entities {
			if tt.in[e.Start:e.End] != e.Text {
				t.Errorf("Parse(%q): entity %s at [%d:%d] = %q, Text %q", tt.in, e.Type, e.Start, e.End, tt.in[e.Start:e.End], e.Text)
			}
		}
	}
}

func TestPersonName(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"Karen", "Karen", true},
		{" karen  smith. ", "karen smith", true},
		{"Jean-Luc Picard", "Jean-Luc Picard", true},
		{"王小明", "王小明", true},
		{"欧阳娜娜", "欧阳娜娜", true},
		{"yes", "", false},
		{"my name is Karen and I want a refund", "", false},
		{"谢谢你", "", false},
		{"我要退款", "", false},
		{"AB123456", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := PersonName(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("PersonName(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDateTimeZone(t *testing.T) {
	m := shopModel(t)
	// 23:30 UTC on Sunday is already Monday in Shanghai.
	now := time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		loc  *time.Location
		want string
	}{
		{nil, "2026-11-23"},
		{shanghai, "2026-11-24"},
	}
	for _, tt := range tests {
		got := m.Parse("tomorrow", ParseOptions{Now: now, Location: tt.loc})
		if diff := cmp.Diff([]ent{{"date", tt.want, "tomorrow", 0, ""}}, project(got.Entities)); diff != "" {
			t.Errorf("location %v (-want +got):\n%s", tt.loc, diff)
		}
	}
}

func TestCancelAndCorrection(t *testing.T) {
	m := shopModel(t)
	tests := []struct {
		in                 string
		cancel, correction bool
	}{
		{"cancel", true, false},
		{"Never mind.", true, false},
		{"nevermind", true, false},
		{"ok forget it", true, false},
		{"stop", true, false},
		{"quit please", true, false},
		{"算了", true, false},
		{"取消", true, false},
		{"算了，不办了", true, false},
		{"不要了", true, false},
		// a cancel with the task dropped said again: issue docs46
		{"算了，不洗了", true, false},
		{"算了 不洗了", true, false},
		{"不预约了，算了", true, false},
		{"取消吧，先不用来了", true, false},
		{"never mind, I don't need it anymore", true, false},
		{"forget it, don't need it", true, false},
		{"不洗了", false, false}, // alone: maybe an answer ("不亮了")
		{"I don't need it anymore", false, false},
		{"算了，不洗了，我的衣服到哪了", false, false},
		{"cancel my order", false, false},
		{"stop sending me emails about my order", false, false},
		{"no", false, false},
		{"actually it's CD654321", false, true},
		{"Actually, make that two", false, true},
		{"I meant the laptop", false, true},
		{"sorry, it's CD654321", false, true},
		{"no, it's CD654321", false, true},
		{"no, 1200", false, true}, // as "不对，1200"
		{"no wait, 1200", false, true},
		{"wrong, 1200", false, true}, // reNoThenValueEN's wrong, which no hint let through
		{"wrong item", false, false},
		{"no wait, PS100150", false, true},
		{"no, hold on, print them again", false, true},
		{"no wait", false, false}, // a no, taking nothing back
		{"nope ¥1,200", false, true},
		{"no, 1.2k", false, true},
		{"no, 5 Main Street", false, false},
		{"no 2 things", false, false},
		{"no thanks", false, false},
		{"not Monday but Tuesday", false, true},
		{"不对，是CD654321", false, true},
		{"不是，是CD654321", false, true}, // as "no, it's CD654321"
		{"不是，应该是明天", false, true},
		{"不是", false, false},
		{"不是绿色的", false, false},
		{"应该是明天", false, true},
		{"其实是笔记本", false, true},
		{"改成周五", false, true},
		{"我是说耳机", false, true},
		{"where is my order", false, false},
		{"I actually want a refund", false, false},
		// A number said again after a no, or followed by "actually", as
		// 不对，400: the amount at a confirmation corrected.
		{"no, 400", false, true},
		{"sorry, 400", false, true},
		{"nope 1.2k", false, true},
		{"400 actually", false, true},
		{"hmm make that 400", false, true},
		{"no, 2 of them", false, false},
		{"no thanks", false, false},
		{"I want a refund actually", false, false},
		{"it's not working", false, false},
		// "not X, Y": the new value after the old one, with no "but" or 是,
		// where both are values of one type.
		{"Not Tuesday, Wednesday", false, true},
		{"not 3, 4 please", false, true},
		{"no, not Tuesday, Wednesday", false, true},
		{"不是周二，周三", false, true},
		{"不是3个，4个", false, true},
		{"not Tuesday", false, false}, // a rejection, with nothing after
		{"不是周二", false, false},
		{"not sure, maybe Tuesday", false, false},
		{"not today, thanks", false, false},
		{"not Tuesday, Tuesday", false, false},
	}
	for _, tt := range tests {
		got := m.Parse(tt.in, testOpts)
		if got.Cancel != tt.cancel || got.Correction != tt.correction {
			t.Errorf("Parse(%q): Cancel=%v Correction=%v, want %v %v", tt.in, got.Cancel, got.Correction, tt.cancel, tt.correction)
		}
	}
}

func TestCancelFirst(t *testing.T) {
	m := shopModel(t)
	tests := []struct {
		in                  string
		cancel, cancelFirst bool
	}{
		{"算了，不退了，帮我查下AB123456到哪了", false, true},
		{"算了 不退了 帮我查下AB123456", false, true},
		{"算了，不洗了，帮我查下AB123456到哪了", false, true},
		{"never mind, I don't need it, where is my order?", false, true},
		{"不洗了，帮我查下AB123456", false, false}, // no cancel word
		{"never mind, where is my order?", false, true},
		{"ok cancel that. I want a refund", false, true},
		{"算了，谢谢", true, false}, // all cancel: Cancel alone
		{"算了", true, false},
		// the opening holds a value a dialog may want: 不要了 is a refund reason here
		{"不要了，帮我查下AB123456", false, false},
		{"never mind where is my order", false, false}, // no pause: one request
		{"cancel my order", false, false},
		{"where is my order, never mind", false, false},
		{"我想退款", false, false},
		// the task dropped by name, or scrapped
		{"actually forget the refund, where is my order?", false, true},
		{"scrap that, where is my order?", false, true},
		{"forget about the whole refund. where is my order", false, true},
		{"forget the refund", true, false},
		{"forget my password", false, false},
		{"cancel the order, where is my refund", false, false}, // a request, not a cancel
		// a space after 取消 parts the verb from its object, not two requests
		{"取消 AB123456", false, false},
		{"取消 明天的预约", false, false},
		{"取消，帮我查下AB123456", false, true},
		{"算了 AB123456到哪了", false, true},
	}
	for _, tt := range tests {
		got := m.Parse(tt.in, testOpts)
		if got.Cancel != tt.cancel || got.CancelFirst != tt.cancelFirst {
			t.Errorf("Parse(%q): Cancel=%v CancelFirst=%v, want %v %v", tt.in, got.Cancel, got.CancelFirst, tt.cancel, tt.cancelFirst)
		}
	}
}

// "actually forget the quote, I want to cancel MV300003" scored 0.43 for
// the cancellation, below the bot's threshold, and was taken as a bad
// answer to the open question. After an opening that drops the task, the
// request is read alone: it is as sure as it would be said alone.
func TestCancelFirstReadsTheRequestAlone(t *testing.T) {
	m := shopModel(t)
	for _, tt := range []struct{ in, request string }{
		{"actually forget the refund, where is my order AB123456?", "where is my order AB123456?"},
		{"算了，不退了，帮我查下AB123456到哪了", "帮我查下AB123456到哪了"},
		{"ok scrap that. I want a refund", "I want a refund"},
	} {
		got, alone := m.Parse(tt.in, testOpts), m.Parse(tt.request, testOpts)
		if !got.CancelFirst {
			t.Errorf("Parse(%q): no CancelFirst", tt.in)
			continue
		}
		if diff := cmp.Diff(alone.Intents, got.Intents); diff != "" {
			t.Errorf("Parse(%q).Intents differ from Parse(%q) (-alone +got):\n%s", tt.in, tt.request, diff)
		}
	}
}

func TestSentiment(t *testing.T) {
	m := shopModel(t)
	tests := []struct {
		in       string
		min, max float64
	}{
		{"This is ridiculous! Worst service ever, I'm furious", -1, -0.6},
		{"this is terrible", -0.7, -0.5},
		{"THIS IS TERRIBLE!!!", -1, -0.7},
		{"this is very bad", -0.75, -0.45},
		{"where is my order", -0.05, 0.05},
		{"I want a refund for order AB123456", -0.05, 0.05},
		{"thanks, that was great", 0.5, 1},
		{"not good", -0.6, -0.1},
		{"not bad", 0.1, 0.6},
		{"垃圾服务，气死我了！我要投诉", -1, -0.6},
		{"太差了", -1, -0.5},
		{"不好", -0.7, -0.2},
		{"我的订单到哪了", -0.05, 0.05},
		{"谢谢，非常满意", 0.5, 1},
		{"不错", 0.2, 0.7},
		{"骗子", -1, -0.5},
		// issue 14: profanity and insults are anger, in both languages
		{"I want to speak with a fucking human agent", -1, -0.6},
		{"you are useless", -1, -0.6},
		{"垃圾", -1, -0.6},
		{"什么破服务", -1, -0.6},
		{"什么破东西，又坏了", -1, -0.6},
		{"I'd like to cancel my order", -0.05, 0.05},
		{"the courier didn't show up", -0.6, -0.1},
		{"你们是不是骗钱的", -1, -0.6},
		// household waste is no insult: a tenant asking about collection days
		{"垃圾什么时候收？", -0.05, 0.05},
		{"垃圾哪天收", -0.05, 0.05},
		{"可回收垃圾哪天收？", -0.05, 0.05},
		{"垃圾桶在哪里", -0.05, 0.05},
		{"垃圾分类怎么分", -0.05, 0.05},
		{"when is the rubbish collected?", -0.05, 0.05},
		{"where do I put the garbage", -0.05, 0.05},
		{"trash day?", -0.05, 0.05},
		{"你们是垃圾", -1, -0.6},
		{"什么垃圾物业", -1, -0.6},
		{"垃圾物业，垃圾桶一个星期没人收", -1, -0.6},
		{"your service is garbage", -1, -0.6},
		{"this app is rubbish", -1, -0.45},
		// A negator stops at the end of its clause: "nothing" does not
		// turn the "terrible" after a comma into praise.
		{"nothing works, terrible service!", -1, -0.6},
		{"This is ridiculous, I'm stuck at ST-4821 and nothing works, terrible service!", -1, -0.6},
		{"nothing works", -0.7, -0.3},
		{"not bad, thanks", 0.2, 1},
		// 差 in 差价, 差不多 or 相差 is a difference, not "bad": a partial
		// refund asked for in a plain complaint is no anger.
		{"想退差价", -0.05, 0.05},
		{"补差价可以吗", -0.05, 0.05},
		{"差不多就行", -0.05, 0.05},
		{"和描述相差很大", -0.05, 0.05},
		{"相机成色很差 跟描述不符 想退差价", -0.6, -0.3},
		{"质量太差了", -1, -0.5},
	}
	for _, tt := range tests {
		got := m.Parse(tt.in, testOpts).Sentiment
		if got < tt.min || got > tt.max {
			t.Errorf("Parse(%q).Sentiment = %.3f, want in [%.2f, %.2f]", tt.in, got, tt.min, tt.max)
		}
	}
}

func TestClassifierShop(t *testing.T) {
	m := shopModel(t)
	// Paraphrases that are not in the training data.
	tests := map[string]string{
		"where's my package?":                  "track_order",
		"can you track order EF112233":         "track_order",
		"我的快递到哪里了":                             "track_order",
		"I'd like a refund for order ZZ999999": "refund",
		"give me my money back":                "refund",
		"我想退款":                                 "refund",
		"订单CD999999退款":                         "refund",
		"please update my delivery address":    "change_address",
		"收货地址错了":                               "change_address",
		"what is the return policy?":           "return_policy",
		"let me talk to a real person":         "human",
		"人工":                                   "human",
		"hello there":                          "greet",
		"goodbye, thanks":                      "goodbye",
		"please call me back":                  "leave_message",
	}
	for in, want := range tests {
		got := m.Parse(in, testOpts)
		if got.Top().Name != want {
			t.Errorf("Parse(%q).Top() = %+v, want %s (all: %+v)", in, got.Top(), want, got.Intents)
		}
		sum := 0.0
		for i, s := range got.Intents {
			sum += s.Confidence
			if i > 0 && s.Confidence > got.Intents[i-1].Confidence {
				t.Errorf("Parse(%q): intents not ranked: %+v", in, got.Intents)
			}
		}
		if sum > 1+1e-9 {
			t.Errorf("Parse(%q): confidences sum to %v", in, sum)
		}
	}
	// Different order ids look alike to the classifier.
	a, b := m.Parse("refund AB123456", testOpts), m.Parse("refund CD999999", testOpts)
	if diff := cmp.Diff(a.Intents, b.Intents); diff != "" {
		t.Errorf("order ids changed the intents (-AB123456 +CD999999):\n%s", diff)
	}
}

func TestDeterministic(t *testing.T) {
	m1, m2 := shopModel(t), shopModel(t)
	for _, in := range []string{"where is my order", "退款", "hello", "cancel my order AB123456"} {
		if diff := cmp.Diff(m1.Parse(in, testOpts), m2.Parse(in, testOpts)); diff != "" {
			t.Errorf("Parse(%q) differs between trainings:\n%s", in, diff)
		}
	}
	if diff := cmp.Diff(m1.weights, m2.weights); diff != "" {
		t.Errorf("weights differ between trainings")
	}
}

func TestSpecialInputs(t *testing.T) {
	m := shopModel(t)
	tests := []struct {
		name, in    string
		wantIntents []IntentScore
		wantEnts    []ent
	}{
		{"button payload", "/refund", []IntentScore{{"refund", 1}}, nil},
		{"button payload with spaces", "  /human ", []IntentScore{{"human", 1}}, nil},
		{"yes payload", "/yes", nil, []ent{{"yes_no", "yes", "/yes", 0, ""}}},
		{"no payload", "/no", nil, []ent{{"yes_no", "no", "/no", 0, ""}}},
		{"empty", "", nil, nil},
		{"whitespace", " \t\n ", nil, nil},
		{"only punctuation", "?!...", nil, nil},
	}
	for _, tt := range tests {
		got := m.Parse(tt.in, testOpts)
		if diff := cmp.Diff(tt.wantIntents, got.Intents); diff != "" {
			t.Errorf("%s: intents (-want +got):\n%s", tt.name, diff)
		}
		if diff := cmp.Diff(tt.wantEnts, project(got.Entities)); diff != "" {
			t.Errorf("%s: entities (-want +got):\n%s", tt.name, diff)
		}
	}
	if got := m.Parse("/unknown_intent", testOpts); len(got.Intents) > 0 && got.Intents[0].Confidence == 1 {
		t.Errorf("unknown payload got confidence 1: %+v", got.Intents)
	}
}

func TestHostileInputs(t *testing.T) {
	m := shopModel(t)
	huge := strings.Repeat("refund AB123456 ", 700_000) // ~11 MB
	inputs := map[string]string{
		"10 MB":        huge,
		"invalid UTF8": "refund \xff\xfe AB123456 \xc3",
		"emoji":        "😡😡 where is my order 📦?? 退款🙏",
		"NUL bytes":    "\x00\x00refund\x00",
		"combining":    "e\u0301\u0301\u0301 cafe\u0301",
		"long word":    strings.Repeat("a", 100_000),
		"long CJK":     strings.Repeat("退款", 50_000),
		"digits":       strings.Repeat("1", 100_000),
	}
	for name, in := range inputs {
		got := m.Parse(in, testOpts)
		for _, e := range got.Entities {
			if e.Start < 0 || e.End > len(in) || e.Start > e.End || in[e.Start:e.End] != e.Text {
				t.Errorf("%s: bad entity span %+v", name, e)
			}
		}
		if got.Sentiment < -1 || got.Sentiment > 1 {
			t.Errorf("%s: sentiment %v out of range", name, got.Sentiment)
		}
	}
	got := m.Parse(huge, testOpts)
	if got.Top().Name != "refund" || len(got.Text) != len(huge) {
		t.Errorf("10 MB message: top %+v, text length %d", got.Top(), len(got.Text))
	}
	if last := got.Entities[len(got.Entities)-1]; last.End > len(truncateRunes(huge, MaxParseRunes)) {
		t.Errorf("entity beyond the first %d runes: %+v", MaxParseRunes, last)
	}
	if got := m.Parse("😡😡 where is my order 📦?? 退款🙏", testOpts); got.Top().Name == "" {
		t.Errorf("emoji message: no intent")
	}
}

func TestTrainErrors(t *testing.T) {
	ok := IntentData{Name: "greet", Examples: []ExampleData{{Text: "hi"}}}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		data TrainingData
	}{
		{"no intents", context.Background(), TrainingData{}},
		{"no examples", context.Background(), TrainingData{Intents: []IntentData{{Name: "greet"}}}},
		{"duplicate intent", context.Background(), TrainingData{Intents: []IntentData{ok, ok}}},
		{"empty intent name", context.Background(), TrainingData{Intents: []IntentData{{Name: " ", Examples: ok.Examples}}}},
		{"bad regex", context.Background(), TrainingData{Intents: []IntentData{ok}, Entities: []EntityData{{Name: "id", Pattern: "[A-Z"}}}},
		{"duplicate entity", context.Background(), TrainingData{Intents: []IntentData{ok}, Entities: []EntityData{{Name: "id", Pattern: "x"}, {Name: "id", Pattern: "y"}}}},
		{"annotation out of range", context.Background(), TrainingData{Intents: []IntentData{{Name: "a", Examples: []ExampleData{{Text: "hi", Annotations: []AnnotationData{{Entity: "x", Start: 1, End: 9}}}}}}}},
		{"annotation inside a rune", context.Background(), TrainingData{Intents: []IntentData{{Name: "a", Examples: []ExampleData{{Text: "退款", Annotations: []AnnotationData{{Entity: "x", Start: 1, End: 3}}}}}}}},
		{"canceled", canceled, shopData()},
	}
	for _, tt := range tests {
		if _, err := Train(tt.ctx, tt.data, Options{}); err == nil {
			t.Errorf("%s: Train succeeded, want an error", tt.name)
		}
	}
	if _, err := Train(canceled, shopData(), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: err = %v, want context.Canceled", err)
	}
}

func TestIntents(t *testing.T) {
	m := shopModel(t)
	want := []string{"greet", "goodbye", "track_order", "refund", "change_address", "return_policy", "human", "leave_message"}
	if diff := cmp.Diff(want, m.Intents()); diff != "" {
		t.Errorf("Intents() (-want +got):\n%s", diff)
	}
}

func TestConcurrentParse(t *testing.T) {
	m := shopModel(t)
	want := m.Parse("订单AB123456退款", testOpts)
	done := make(chan Result, 8)
	for range 8 {
		go func() {
			var r Result
			for range 200 {
				r = m.Parse("订单AB123456退款", testOpts)
			}
			done <- r
		}()
	}
	for range 8 {
		if diff := cmp.Diff(want, <-done); diff != "" {
			t.Errorf("concurrent Parse differs:\n%s", diff)
		}
	}
}

func FuzzParse(f *testing.F) {
	m, err := Train(context.Background(), shopData(), Options{})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"refund AB123456", "订单AB123456退款", "¥500", "+86 138 1234 5678", "11月25日", "/refund", "\xff", "三百五", "next friday",
		"where is AB123456? also refund it", "查订单。另外，能退款吗？"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := m.Parse(s, testOpts)
		for _, e := range r.Entities {
			if e.Start < 0 || e.End > len(s) || e.Start > e.End {
				t.Fatalf("bad span %+v in %q", e, s)
			}
		}
		end := 0
		for _, p := range r.Parts {
			if p.Start < end || p.End > len(s) || p.Start >= p.End {
				t.Fatalf("bad piece %+v in %q (pieces %+v)", p, s, r.Parts)
			}
			end = p.End
		}
	})
}
