package report_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/store"
)

// demoComments are dissatisfied comments, several ways of saying each thing.
var demoComments = []string{
	"waited too long for an agent", "too long a wait to reach a person", "the wait for an agent was too long",
	"refund still not received", "my refund has not arrived yet", "still waiting for my refund",
	"the bot did not understand me", "bot didn't understand my question", "the bot did not understand what I asked",
	"退款还没到账", "退款一直没有到账",
}

var demoQuestions = []string{
	"do you ship to Mars?", "can I pay with bitcoin?", "can I pay in bitcoin", "do you have a store in Hangzhou?",
	"is there a shop in Hangzhou", "what is your warranty on laptops", "laptop warranty how long", "可以开发票吗", "能开发票吗",
}

// seedDemo writes days of made-up but plausible outcome rows (about perDay a
// day, ending the day before end), with rules, scores and unanswered
// questions, through the store's commits. It is deterministic.
func seedDemo(t testing.TB, st store.Store, loc *time.Location, end time.Time, days, perDay int) {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	hourWeights := []int{1, 1, 0, 0, 0, 0, 1, 2, 5, 9, 11, 10, 8, 9, 10, 9, 8, 7, 6, 7, 8, 6, 4, 2}
	pickHour := func() int {
		total := 0
		for _, w := range hourWeights {
			total += w
		}
		n := rng.IntN(total)
		for h, w := range hourWeights {
			if n < w {
				return h
			}
			n -= w
		}
		return 12
	}
	type kind struct {
		name   string
		weight int
	}
	kinds := []kind{{"bot_resolved", 64}, {"agent_resolved", 13}, {"ticket", 6}, {"abandoned_in_queue", 4}, {"abandoned", 6}, {"not_understood", 5}, {"unresolved", 2}}
	pick := func() string {
		n := rng.IntN(100)
		for _, k := range kinds {
			if n < k.weight {
				return k.name
			}
			n -= k.weight
		}
		return "bot_resolved"
	}
	intents := []string{"track_order", "track_order", "track_order", "refund", "refund", "change_address", "cancel_order", "human", "opening_hours"}
	channels := []string{"web", "web", "web", "sms", "email"}
	queues := []string{"general", "general", "priority", "vip", "supervisors"}
	startDay := time.Date(end.In(loc).Year(), end.In(loc).Month(), end.In(loc).Day(), 0, 0, 0, 0, loc).AddDate(0, 0, -days)
	n := 0
	for d := range days {
		day := startDay.AddDate(0, 0, d)
		count := perDay + rng.IntN(perDay/2+1) - perDay/4
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			count = count * 2 / 3
		}
		for i := range count {
			n++
			started := day.Add(time.Duration(pickHour())*time.Hour + time.Duration(rng.IntN(3600))*time.Second)
			kind := pick()
			conv := fmt.Sprintf("demo-%d-%d", d, i)
			o := store.Outcome{
				ConversationID: conv, ContactSeq: 1, LastSeq: 8, CustomerID: fmt.Sprintf("cus_%d", rng.IntN(perDay*days/2)),
				Channel: channels[rng.IntN(len(channels))], Language: []string{"en", "en", "zh"}[rng.IntN(3)], PolicyVersion: "3f9a1c2b7d4e8a10",
				StartedAt: started, EndedAt: started.Add(3 * time.Minute), SettledAt: started.Add(33 * time.Minute),
				Day: started.Format("2006-01-02"), Hour: started.Hour(), Outcome: kind, Intent: intents[rng.IntN(len(intents))],
				Messages: 2 + rng.IntN(5), QueueWaitMS: -1, FirstReplyMS: -1, HandleMS: -1,
			}
			o.Week = started.AddDate(0, 0, -((int(started.Weekday()) + 6) % 7)).Format("2006-01-02")
			o.BotReplies = o.Messages
			for range o.BotReplies {
				ms := int64(150 + rng.ExpFloat64()*500)
				if rng.IntN(25) == 0 {
					ms += 2500 // a slow backend
				}
				o.BotReplyMS += ms
				b := 0
				for _, bound := range []int64{500, 1000, 2000, 3000, 5000, 10000, 30000} {
					if ms <= bound {
						break
					}
					b++
				}
				o.ReplyBuckets[b]++
			}
			if kind == "not_understood" {
				o.NotUnderstood = 1 + rng.IntN(2)
				o.Unanswered = 1
			} else if rng.IntN(6) == 0 {
				o.KBAnswered = 1
			}
			switch kind {
			case "agent_resolved", "abandoned_in_queue":
				o.Handoffs, o.Queue = 1, queues[rng.IntN(len(queues))]
				o.Reason = []string{"asked_for_human", "angry", "stuck", "vip"}[rng.IntN(4)]
				if kind == "agent_resolved" {
					o.QueueWaitMS = int64(5000 + rng.ExpFloat64()*50000)
					o.FirstReplyMS = o.QueueWaitMS + int64(10000+rng.IntN(40000))
					o.HandleMS = int64(120000 + rng.IntN(600000))
					o.Agent = []string{"ann", "bo", "cy"}[rng.IntN(3)]
				}
			case "ticket":
				o.Tickets, o.TicketQueue, o.TicketPriority = 1, []string{"refund_review", "general", "callbacks"}[rng.IntN(3)], []string{"normal", "high"}[rng.IntN(2)]
			}
			var sat []store.Satisfaction
			if kind == "agent_resolved" || kind == "bot_resolved" && rng.IntN(5) == 0 {
				o.SurveyAsked = true
				if rng.IntN(10) < 7 {
					o.Score = []int{5, 5, 5, 5, 4, 4, 4, 3, 2, 1}[rng.IntN(10)]
					if o.Score <= 2 && rng.IntN(3) > 0 {
						o.Comment = demoComments[rng.IntN(len(demoComments))]
					}
					sat = append(sat, store.Satisfaction{Score: o.Score, Comment: o.Comment, At: o.SettledAt})
				}
			}
			var rules []store.RuleEvent
			if o.Intent == "refund" && kind == "bot_resolved" {
				amount := float64(20+rng.IntN(480)) + 0.5*float64(rng.IntN(2))
				rules = append(rules, store.RuleEvent{Seq: 5, At: started.Add(time.Minute), Kind: "rule", Name: "refund_auto_approve", Dialog: "refund", Amount: &amount, Channel: o.Channel, Day: o.Day, Week: o.Week, Hour: o.Hour})
			}
			if o.Intent == "track_order" && kind == "bot_resolved" {
				rules = append(rules, store.RuleEvent{Seq: 4, At: started.Add(time.Minute), Kind: "outcome", Name: []string{"shipped", "other"}[rng.IntN(2)], Dialog: "track_order", Channel: o.Channel, Day: o.Day, Week: o.Week, Hour: o.Hour})
			}
			var unanswered []store.UnansweredQuestion
			if o.Unanswered > 0 {
				unanswered = append(unanswered, store.UnansweredQuestion{Question: demoQuestions[rng.IntN(len(demoQuestions))], At: started})
			}
			tx, err := st.Begin(ctx, conv)
			if err != nil {
				t.Fatal(err)
			}
			err = tx.Commit(ctx, store.TurnRecord{
				ConversationID: conv, CustomerID: o.CustomerID, Channel: o.Channel,
				Events:   []store.Event{{Seq: 1, Type: "message_received", At: started, Data: []byte(`{"type":"message_received"}`)}},
				Outcomes: []store.Outcome{o}, RuleEvents: rules, Satisfaction: sat, Unanswered: unanswered,
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("seeded %d contacts over %d days", n, days)
}
