package dialog

import (
	"testing"

	"github.com/parleyhq/parley/nlu"
)

// Two slots of one type: a city after 从/from fills the departure, one
// after 到/去/to the arrival, whichever slot the bot asked.
func TestPrepositionsChooseBetweenSlotsOfOneType(t *testing.T) {
	const dir = "testdata/trip"
	city := func(value, text string) nluOpt { return entText("city", value, text) }
	book := exchange{in: zh("我要订机票", intent("book", 0.9)), replies: []string{"从哪里出发？"}}
	bookEN := exchange{in: say("book a flight", intent("book", 0.9), lang("en")), replies: []string{"Where from?"}}
	goZH := exchange{in: zh("我要去一个地方", intent("go", 0.9)), replies: []string{"去哪里？"}}
	runConversations(t, []conversation{
		{name: "到北京 to the departure question", dir: dir, turns: []exchange{book,
			{in: zh("到北京", city("beijing", "北京")), replies: []string{"从哪里出发？"}, slots: map[string]string{"to_city": "beijing"}},
			{in: zh("上海", city("shanghai", "上海")), replies: []string{"shanghai → beijing"}},
		}},
		{name: "从上海到北京 at once", dir: dir, turns: []exchange{
			{in: zh("我要订从上海到北京的机票", intent("book", 0.9), city("shanghai", "上海"), city("beijing", "北京")), replies: []string{"shanghai → beijing"}},
		}},
		{name: "到北京，从上海出发", dir: dir, turns: []exchange{book,
			{in: zh("到北京，从上海出发", city("beijing", "北京"), city("shanghai", "上海")), replies: []string{"shanghai → beijing"}},
		}},
		{name: "上海出发", dir: dir, turns: []exchange{
			{in: zh("订机票，广州出发", intent("book", 0.9), city("guangzhou", "广州")), replies: []string{"到哪里？"}, slots: map[string]string{"from_city": "guangzhou"}},
		}},
		{name: "上海到北京 without 从", dir: dir, turns: []exchange{book,
			{in: zh("上海到北京", city("shanghai", "上海"), city("beijing", "北京")), replies: []string{"shanghai → beijing"}},
		}},
		{name: "to Beijing, then from Shanghai", dir: dir, turns: []exchange{bookEN,
			{in: say("to Beijing", lang("en"), city("beijing", "Beijing")), replies: []string{"Where from?"}, slots: map[string]string{"to_city": "beijing"}},
			{in: say("from Shanghai", lang("en"), city("shanghai", "Shanghai")), replies: []string{"shanghai → beijing"}},
		}},
		{name: "from Shanghai to Beijing", dir: dir, turns: []exchange{bookEN,
			{in: say("from Shanghai to Beijing", lang("en"), city("shanghai", "Shanghai"), city("beijing", "Beijing")), replies: []string{"shanghai → beijing"}},
		}},
		{name: "to Beijing from Shanghai", dir: dir, turns: []exchange{bookEN,
			{in: say("to Beijing from Shanghai", lang("en"), city("beijing", "Beijing"), city("shanghai", "Shanghai")), replies: []string{"shanghai → beijing"}},
		}},
		{name: "no preposition: the order written", dir: dir, turns: []exchange{book,
			{in: zh("上海，北京", city("shanghai", "上海"), city("beijing", "北京")), replies: []string{"shanghai → beijing"}},
		}},
		// The destination is asked first; 从上海到北京 still goes by the words.
		{name: "destination asked first", dir: dir, turns: []exchange{goZH,
			{in: zh("从上海到北京", city("shanghai", "上海"), city("beijing", "北京")), replies: []string{"shanghai → beijing"}},
		}},
		{name: "从上海 to the destination question", dir: dir, turns: []exchange{goZH,
			{in: zh("从上海出发", city("shanghai", "上海")), replies: []string{"去哪里？"}, slots: map[string]string{"origin": "shanghai"}},
			{in: zh("北京", city("beijing", "北京")), replies: []string{"shanghai → beijing"}},
		}},
		{name: "until a day fills the later date slot", dir: dir, turns: []exchange{
			{in: say("book a room", intent("stay", 0.9), lang("en")), replies: []string{"Check in when?"}},
			{in: say("until Dec 12", lang("en"), entText("date", "2026-12-12", "Dec 12")), replies: []string{"Check in when?"}, slots: map[string]string{"check_out": "2026-12-12"}},
			{in: say("Dec 10", lang("en"), entText("date", "2026-12-10", "Dec 10")), replies: []string{"2026-12-10 → 2026-12-12"}},
		}},
		{name: "a bare city answers the question asked", dir: dir, turns: []exchange{goZH,
			{in: zh("北京", city("beijing", "北京")), replies: []string{"从哪里出发？"}, slots: map[string]string{"destination": "beijing"}},
		}},
	})
}

// A correction at the confirmation that names the city it replaces changes
// the slot holding that city, even though two slots share the type: "不是上海，
// 是杭州" changed the destination, and "不是到北京，是到广州" was a no.
func TestCorrectionNamingTheOldValueOfOneOfTwoSlots(t *testing.T) {
	const dir = "testdata/trip"
	city := func(value, text string) nluOpt { return entText("city", value, text) }
	confirming := exchange{
		in:      zh("从上海到北京", intent("fly", 0.9), city("shanghai", "上海"), city("beijing", "北京")),
		replies: []string{"shanghai → beijing？"},
	}
	corrected := func(in Input, from, to string) exchange {
		return exchange{in: in, replies: []string{from + " → " + to + "？"}, stack: []string{"fly"},
			slots: map[string]string{"from_city": from, "to_city": to}}
	}
	no := func(r *nlu.Result) {
		r.Entities = append(r.Entities, nlu.Entity{Type: "yes_no", Value: "no", Text: "不是", Start: 0, End: len("不是")})
	}
	runConversations(t, []conversation{
		{name: "不是上海，是杭州", dir: dir, turns: []exchange{confirming,
			corrected(zh("不是上海，是杭州", no, correction(), city("shanghai", "上海"), city("hangzhou", "杭州")), "hangzhou", "beijing")}},
		{name: "不是北京，是广州", dir: dir, turns: []exchange{confirming,
			corrected(zh("不是北京，是广州", no, correction(), city("beijing", "北京"), city("guangzhou", "广州")), "shanghai", "guangzhou")}},
		{name: "不是到北京，是到广州", dir: dir, turns: []exchange{confirming,
			corrected(zh("不是到北京，是到广州", no, correction(), city("beijing", "北京"), city("guangzhou", "广州")), "shanghai", "guangzhou")}},
		{name: "不是从上海，是从杭州出发", dir: dir, turns: []exchange{confirming,
			corrected(zh("不是从上海，是从杭州出发", no, correction(), city("shanghai", "上海"), city("hangzhou", "杭州")), "hangzhou", "beijing")}},
		{name: "to Guangzhou, not Beijing", dir: dir, turns: []exchange{confirming,
			{in: say("to Guangzhou, not Beijing", correction(), city("guangzhou", "Guangzhou"), city("beijing", "Beijing")), replies: []string{"shanghai to guangzhou?"}, slots: map[string]string{"from_city": "shanghai", "to_city": "guangzhou"}}}},
		// Both values named, each the other slot's: the cities swap.
		{name: "不对，是北京，上海", dir: dir, turns: []exchange{confirming,
			corrected(zh("不对，是北京，上海", no, correction(), city("beijing", "北京"), city("shanghai", "上海")), "beijing", "shanghai")}},
		{name: "不对，到广州", dir: dir, turns: []exchange{confirming,
			corrected(zh("不对，到广州", no, correction(), city("guangzhou", "广州")), "shanghai", "guangzhou")}},
	})
}

// "改到" and "change ... to" change the slot the clause names: "出发地改到杭州"
// at the confirmation filled the destination, "入住日期改到12月9日" the
// check-out day.
func TestChangeToNamesTheDepartureSlot(t *testing.T) {
	const dir = "testdata/trip"
	city := func(value, text string) nluOpt { return entText("city", value, text) }
	date := func(value, text string) nluOpt { return entText("date", value, text) }
	confirming := exchange{
		in:      zh("从上海到北京", intent("fly", 0.9), city("shanghai", "上海"), city("beijing", "北京")),
		replies: []string{"shanghai → beijing？"},
	}
	confirmingEN := exchange{
		in:      say("from Shanghai to Beijing", intent("fly", 0.9), city("shanghai", "Shanghai"), city("beijing", "Beijing")),
		replies: []string{"shanghai to beijing?"},
	}
	staying := []exchange{
		{in: say("book a room", intent("stay", 0.9), lang("en")), replies: []string{"Check in when?"}},
		{in: say("Dec 10", lang("en"), date("2026-12-10", "Dec 10")), replies: []string{"Check out when?"}},
	}
	runConversations(t, []conversation{
		{name: "出发地改到杭州", dir: dir, turns: []exchange{confirming,
			{in: zh("出发地改到杭州", city("hangzhou", "杭州")), replies: []string{"hangzhou → beijing？"}}}},
		{name: "目的地改到杭州", dir: dir, turns: []exchange{confirming,
			{in: zh("目的地改到杭州", city("hangzhou", "杭州")), replies: []string{"shanghai → hangzhou？"}}}},
		{name: "改到杭州", dir: dir, turns: []exchange{confirming,
			{in: zh("改到杭州", city("hangzhou", "杭州")), replies: []string{"shanghai → hangzhou？"}}}},
		{name: "change the departure city to Hangzhou", dir: dir, turns: []exchange{confirmingEN,
			{in: say("change the departure city to Hangzhou", city("hangzhou", "Hangzhou")), replies: []string{"hangzhou to beijing?"}}}},
		{name: "fly to Hangzhou instead", dir: dir, turns: []exchange{confirmingEN,
			{in: say("fly to Hangzhou instead", city("hangzhou", "Hangzhou")), replies: []string{"shanghai to hangzhou?"}}}},
		{name: "入住日期改到12月9日", dir: dir, turns: append(staying[:2:2],
			exchange{in: zh("入住日期改到12月9日", date("2026-12-09", "12月9日")), replies: []string{"哪天退房？"}, slots: map[string]string{"check_in": "2026-12-09"}})},
		{name: "move check-in to Dec 9", dir: dir, turns: append(staying[:2:2],
			exchange{in: say("move check-in to Dec 9", date("2026-12-09", "Dec 9")), replies: []string{"Check out when?"}, slots: map[string]string{"check_in": "2026-12-09"}})},
	})
}
