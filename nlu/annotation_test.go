package nlu

import (
	"context"
	"testing"
)

// A relative date marked in one intent's examples ("预约[明天](date)的牙科") and
// written plainly in another's ("取消明天的门诊预约") must not hand the second
// every message with 明天: the marked one is words, as in a message, not a
// placeholder the message never has.
func TestMarkedRelativeDateKeepsItsWords(t *testing.T) {
	book := []string{
		"我要预约", "预约[明天](date)[下午](time_of_day)的[牙科](department)", "我想挂个[儿科](department)的号", "帮我挂号",
		"想约[下周一](date)[上午](time_of_day)看[皮肤科](department)", "挂[眼科](department)", "预约一下[全科](department)门诊",
		"能不能约[后天](date)的[牙科](department)", "预约挂号", "约[周五](date)[下午](time_of_day)[眼科](department)",
		"book [dental](department) for [tomorrow](date)", "I want to book an appointment", "can I see a [dentist](department) [next monday](date)",
		"make an appointment please", "book me in for [eyes](department)",
	}
	cancel := []string{
		"取消预约", "我要取消挂号", "帮我退掉预约", "不去了，取消吧", "我想退号", "取消明天的门诊预约", "预约不要了", "帮我取消这个预约",
		"cancel my appointment", "I want to cancel my booking", "cancel my appointment tomorrow", "call off my appointment", "drop my booking please",
	}
	td := TrainingData{Entities: []EntityData{
		{Name: "department", Values: []EntityValueData{{Canonical: "dental", Synonyms: []string{"牙科", "dentist", "dental"}}, {Canonical: "pediatrics", Synonyms: []string{"儿科"}},
			{Canonical: "dermatology", Synonyms: []string{"皮肤科"}}, {Canonical: "eyes", Synonyms: []string{"眼科", "eyes"}}, {Canonical: "general", Synonyms: []string{"全科"}}}},
		{Name: "time_of_day", Values: []EntityValueData{{Canonical: "morning", Synonyms: []string{"上午"}}, {Canonical: "afternoon", Synonyms: []string{"下午"}}}},
	}}
	for _, intent := range []struct {
		name     string
		examples []string
	}{{"book", book}, {"cancel", cancel}} {
		in := IntentData{Name: intent.name}
		for _, e := range intent.examples {
			in.Examples = append(in.Examples, parseMarkup(e))
		}
		td.Intents = append(td.Intents, in)
	}
	m, err := Train(context.Background(), td, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range []string{"预约明天的牙科", "预约后天的眼科", "book the dentist tomorrow"} {
		if top := m.Parse(msg, testOpts).Top(); top.Name != "book" {
			t.Errorf("%q: top intent %s (%.2f), want book", msg, top.Name, top.Confidence)
		}
	}
	if top := m.Parse("cancel my appointment tomorrow", testOpts).Top(); top.Name != "cancel" {
		t.Errorf("cancel my appointment tomorrow: top intent %s, want cancel", top.Name)
	}
}
