package nlu

import "testing"

// Damage and emergencies are bad news however they are put, and a positive
// word negated is a complaint: "The pipe burst ... it's a disaster" read as
// neutral.
func TestSentimentDamageAndNegatedPraise(t *testing.T) {
	tests := []struct {
		text string
		want string // a band of sentimentBand, or "below" for negative or angry
	}{
		{"The pipe burst and water is everywhere, it's a disaster", "negative"},
		{"my basement is flooded", "negative"},
		{"the roof is leaking", "negative"},
		{"the washing machine is broken", "below"},
		{"the screen arrived smashed", "negative"},
		{"the tap is leaking again, water everywhere", "negative"},
		{"there's a gas leak in the kitchen", "negative"},
		{"the window was shattered", "negative"},
		{"I am not happy", "below"},
		{"not good at all", "below"},
		{"I'm not satisfied with the repair", "below"},
		{"厨房漏水了", "negative"},
		{"水管爆了，到处都是水", "negative"},
		{"洗衣机坏了", "below"},
		{"杯子摔碎了", "negative"},
		{"屋顶渗水，墙都泡了", "negative"},
		{"我不满意", "below"},
		{"一点都不好", "below"},
		{"很不开心", "below"},
		// Damage is bad news, not anger: however much of it, it stays out
		// of the angry band bots hand over in a hurry, unless anger comes
		// with it.
		{"a pipe burst and flooded my kitchen", "negative"},
		{"水管爆了，厨房淹了，还漏电", "negative"},
		{"my kitchen is flooded!!!", "negative"}, // urgent, not angry
		{"HELP the pipe BURST!!", "negative"},
		{"水管爆了！！！", "negative"},
		{"the pipe burst and your useless plumber never came, this is ridiculous", "angry"},
		// left alone: no damage, or the damage is the question
		{"how do I report a leak?", "neutral"},
		{"do you have an emergency number?", "neutral"},
		{"can I book an emergency plumber", "neutral"},
		{"it's an emergency", "negative"},
		{"the repair went well, thank you", "positive"},
		{"water pressure is fine now, thanks", "positive"},
		{"我想问一下水费怎么交", "neutral"},
		{"修好了，谢谢", "positive"},
	}
	for _, tc := range tests {
		score := sentiment(tc.text, scanTokens(nil, newNormText(tc.text).lower, nil))
		got := sentimentBand(score)
		if tc.want == "below" && score > -0.1 || tc.want != "below" && got != tc.want {
			t.Errorf("sentiment(%q) = %.2f (%s), want %s", tc.text, score, got, tc.want)
		}
	}
}
