package dialog

import (
	"testing"

	"github.com/parleyhq/parley/policies"
)

// repairBot asks when a device was bought, and has a replacement dialog whose
// examples ("I just bought it and it's dead") make "bought" lean its way.
const repairBot = `
bot "b" {
  languages = ["en", "zh"]
}

intent "repair" {
  examples = ["repair my phone", "fix my laptop", "my phone is broken", "I need a repair", "book a repair"]
}

intent "replace" {
  examples = ["I just bought it and it's dead", "replace my new phone", "bought it yesterday, dead on arrival", "exchange it", "刚买的就坏了"]
}

dialog "repair" {
  trigger = [intent.repair]

  slot "purchase_date" {
    type   = date
    prompt = { en = "When did you buy it?", zh = "请问是什么时候购买的？" }
  }

  outcome "booked" {
    reply = "Repair booked for a device bought ${slot.purchase_date}."
  }
}

dialog "replace" {
  trigger = [intent.replace]

  slot "purchase_date" {
    type   = date
    prompt = "When did it arrive?"
  }

  outcome "replaced" {
    reply = "Replaced."
  }
}
`

// Customers frame an answer with the question's own words: "I bought it on
// 1 June" to "When did you buy it?" is the answer, though "bought" is a word
// of another intent's examples; a word the question did not use still makes
// the message more than the answer.
func TestAnswerFramedByTheQuestionsWords(t *testing.T) {
	bot, diags := policies.LoadFiles(map[string][]byte{"main.hcl": []byte(repairBot)}, policies.Options{Connectors: connectorTypes{}})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	asked := exchange{in: say("repair my phone", intent("repair", 0.9)), replies: []string{"When did you buy it?"}}
	runConversations(t, []conversation{
		{
			name: "the question's verb, in the past",
			bot:  bot,
			turns: []exchange{asked,
				{in: say("I bought it on 2026-06-01", intent("replace", 0.6), ent("date", "2026-06-01")),
					replies: []string{"Repair booked for a device bought 2026-06-01."}, stack: none()},
			},
		},
		{
			name: "the question's word, in Chinese",
			bot:  bot,
			turns: []exchange{
				{in: zh("手机要修", intent("repair", 0.9)), replies: []string{"请问是什么时候购买的？"}},
				{in: zh("2026年6月1日购买的", intent("replace", 0.6), entText("date", "2026-06-01", "2026年6月1日")),
					replies: []string{"Repair booked for a device bought 2026-06-01."}, stack: none()},
			},
		},
		{
			name: "a word the question did not use starts the other dialog",
			bot:  bot,
			turns: []exchange{asked,
				{in: say("replace it, it arrived dead on 2026-06-01", intent("replace", 0.6), ent("date", "2026-06-01")),
					replies: []string{"Replaced.", "Back to where we were: When did you buy it?"}, stack: []string{"repair"}},
			},
		},
	})
}
