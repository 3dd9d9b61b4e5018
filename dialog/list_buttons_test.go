package dialog

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/policies"
)

// listButtonsBot offers the items of the customer's own order as buttons
// (value_buttons = call.order.items), labelled as the product entity labels
// them; a second question offers one field of a list of objects.
const listButtonsBot = `
bot "b" {
  languages = ["en", "zh"]
}

intent "missing_item" {
  examples = ["an item is missing", "something was missing", "you forgot an item", "missing item", "my bag was short", "少了一件", "漏发了", "缺东西"]
}

entity "order_id" {
  pattern = "[A-Z]{2}[0-9]{6}"
}

entity "product" {
  values = {
    milk  = []
    bread = []
    eggs  = []
  }
  labels = {
    milk = { en = "Milk", zh = "牛奶" }
    eggs = { en = "Eggs", zh = "鸡蛋" }
  }
}

connector "orders" {
  type = "fixture"
  data = {
    orders = {
      AB123456 = { items = ["milk", "eggs", "milk", "", "bread"], lines = [{ sku = "S-1" }, { sku = "S-2" }] }
      CD654321 = { items = [], lines = [] }
      EF111111 = { items = ["i01", "i02", "i03", "i04", "i05", "i06", "i07", "i08", "i09", "i10", "i11", "i12", "i13", "i14", "i15", "i16", "i17", "i18", "i19", "i20", "i21", "i22", "i23", "i24", "i25"], lines = [] }
    }
  }

  operation "get_order" {
    input  = { order_id = string }
    output = { items = list(string), lines = list(object({ sku = string })) }
    lookup = "orders"
  }
}

response "ask_item" {
  en            = "Which item?"
  zh            = "哪件？"
  value_buttons = call.order.items
}

response "ask_sku" {
  en            = "Which line?"
  value_buttons = [for l in call.order.lines : l.sku]
}

dialog "missing_item" {
  trigger = [intent.missing_item]

  slot "order_id" {
    type   = order_id
    prompt = "Which order?"
  }

  call "order" {
    operation = connector.orders.get_order
    input     = { order_id = slot.order_id }
  }

  slot "item" {
    type     = product
    prompt   = response.ask_item
    validate = contains(call.order.items, slot.item)
    invalid  = "That isn't in the order."
  }

  slot "sku" {
    type   = text
    prompt = response.ask_sku
  }

  outcome "noted" {
    reply = "Noted ${slot.item} ${slot.sku}."
  }
}
`

func TestValueButtonsFromAList(t *testing.T) {
	bot, diags := policies.LoadFiles(map[string][]byte{"main.hcl": []byte(listButtonsBot)}, policies.Options{Connectors: connectorTypes{}})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	buttonsOf := func(tn turn) []ReplyButton {
		var out []ReplyButton
		for _, e := range tn.Effects {
			if e.Reply != nil {
				out = e.Reply.Buttons
			}
		}
		return out
	}
	wantButtons := func(want []ReplyButton) func(*testing.T, turn, *convo) {
		return func(t *testing.T, tn turn, _ *convo) {
			t.Helper()
			if diff := cmp.Diff(want, buttonsOf(tn), stateOpts); diff != "" {
				t.Errorf("buttons (-want +got):\n%s", diff)
			}
		}
	}
	runConversations(t, []conversation{
		{
			name: "the order's items, once each, labelled; a press fills the slot",
			bot:  bot,
			turns: []exchange{
				{in: say("an item is missing from AB123456", intent("missing_item", 0.9), ent("order_id", "AB123456")),
					replies: []string{"Which item?"},
					check: wantButtons([]ReplyButton{
						{Label: "Milk", Payload: "milk"}, {Label: "Eggs", Payload: "eggs"}, {Label: "bread", Payload: "bread"},
					})},
				{in: say("eggs", ent("product", "eggs")), replies: []string{"Which line?"},
					check: wantButtons([]ReplyButton{{Label: "S-1", Payload: "S-1"}, {Label: "S-2", Payload: "S-2"}})},
				{in: say("S-2"), replies: []string{"Noted eggs S-2."}},
			},
		},
		{
			name: "labels in the customer's language",
			bot:  bot,
			turns: []exchange{
				{in: say("AB123456 少了一件", lang("zh"), intent("missing_item", 0.9), ent("order_id", "AB123456")),
					replies: []string{"哪件？"},
					check: wantButtons([]ReplyButton{
						{Label: "牛奶", Payload: "milk"}, {Label: "鸡蛋", Payload: "eggs"}, {Label: "bread", Payload: "bread"},
					})},
			},
		},
		{
			name: "a long list: the first 20",
			bot:  bot,
			turns: []exchange{
				{in: say("an item is missing from EF111111", intent("missing_item", 0.9), ent("order_id", "EF111111")),
					replies: []string{"Which item?"}, check: func(t *testing.T, tn turn, _ *convo) {
						got := buttonsOf(tn)
						if len(got) != maxListButtons || got[0].Payload != "i01" || got[len(got)-1].Payload != "i20" {
							t.Errorf("buttons = %v, want i01 to i20", got)
						}
					}},
			},
		},
		{
			name: "an empty list: the question without buttons",
			bot:  bot,
			turns: []exchange{
				{in: say("an item is missing from CD654321", intent("missing_item", 0.9), ent("order_id", "CD654321")),
					replies: []string{"Which item?"}, check: wantButtons(nil)},
			},
		},
	})
}
