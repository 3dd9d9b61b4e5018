package policies

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

// TestLoadTestFeatures checks what test blocks decode to: for_each cases,
// values computed from each.key and each.value, mocks converted to the declared
// types, and the turn checks on entities and a dialog's slots.
func TestLoadTestFeatures(t *testing.T) {
	bot, diags := LoadDir("testdata/valid/tests", testOptions)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var names []string
	for _, tc := range bot.Tests {
		names = append(names, tc.Name)
	}
	want := []string{`orders["AB123456"]`, `orders["CD654321"]`, `phrasings["where is my order"]`, `phrasings["track my order"]`}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Fatalf("test names (-want +got):\n%s", diff)
	}

	type turnView struct {
		User, Response, Intent string
		Calls                  []string
		Entities, Slots        map[string]string
		DialogSlots            map[string]map[string]string
	}
	strs := func(m map[string]cty.Value) map[string]string {
		if m == nil {
			return nil
		}
		out := map[string]string{}
		for k, v := range m {
			out[k] = v.AsString()
		}
		return out
	}
	view := func(tt *TestTurn) turnView {
		v := turnView{User: tt.User, Response: tt.Response, Intent: tt.Intent, Calls: tt.Calls, Entities: strs(tt.Entities), Slots: strs(tt.Slots)}
		for d, slots := range tt.DialogSlots {
			if v.DialogSlots == nil {
				v.DialogSlots = map[string]map[string]string{}
			}
			v.DialogSlots[d] = strs(slots)
		}
		return v
	}
	got := []turnView{view(bot.Tests[0].Turns[0]), view(bot.Tests[1].Turns[0]), view(bot.Tests[2].Turns[0])}
	wantTurns := []turnView{
		{User: "where is AB123456", Response: "shipped", Intent: "track", Calls: []string{"orders.get_order"},
			Entities: map[string]string{"order_id": "AB123456"}, Slots: map[string]string{"order_id": "AB123456"},
			DialogSlots: map[string]map[string]string{"track": {"order_id": "AB123456"}}},
		{User: "where is CD654321", Response: "other", Intent: "track", Calls: []string{"orders.get_order"},
			Entities: map[string]string{"order_id": "CD654321"}, Slots: map[string]string{"order_id": "CD654321"},
			DialogSlots: map[string]map[string]string{"track": {"order_id": "CD654321"}}},
		{User: "where is my order", Intent: "track", Entities: map[string]string{}},
	}
	if diff := cmp.Diff(wantTurns, got); diff != "" {
		t.Errorf("turns (-want +got):\n%s", diff)
	}

	if got := bot.Tests[2].Turns[1].User; got != "AB123456" {
		t.Errorf("upper(\"ab123456\") without each = %q, want AB123456", got)
	}

	orders := bot.Tests[1]
	if !orders.SkipLive || bot.Tests[2].SkipLive {
		t.Error("live = false must mark only the tests that say it")
	}
	if key := orders.Connectors["orders"].GetAttr("data").GetAttr("key"); key.AsString() != "CD654321" {
		t.Errorf("the connector override reads each.key: got %#v", key)
	}
	if len(orders.Mocks) != 1 || orders.Mocks[0].Input.GetAttr("order_id").AsString() != "CD654321" {
		t.Errorf("test mocks = %+v", orders.Mocks)
	}

	if len(bot.Mocks) != 2 {
		t.Fatalf("%d top-level mocks, want 2", len(bot.Mocks))
	}
	first := bot.Mocks[0]
	if first.Connector != "orders" || first.Operation != "get_order" || first.Error != "" {
		t.Errorf("mock = %+v", first)
	}
	if total := first.Output.GetAttr("total"); !total.RawEquals(cty.NumberIntVal(320)) {
		t.Errorf(`output total = %#v, want the number 320 converted from "320"`, total)
	}
	if last := bot.Mocks[1]; last.Error != "not_found" || last.Input != cty.NilVal || last.Output != cty.NilVal {
		t.Errorf("catch-all mock = %+v", last)
	}
}

// A date_range entity is expected as the object expressions read; other
// objects are refused.
func TestTestEntitiesDateRange(t *testing.T) {
	const head = `
bot "b" {
  languages = ["en"]
}

intent "book" {
  examples = ["book a room", "book next week", "I need a room", "a room please", "book for May"]
}
`
	tests := []struct {
		name, entities string
		wantErr        bool
	}{
		{"range", `{ date_range = { start = "2026-12-03", end = "2026-12-05" } }`, false},
		{"ranges", `{ date_range = [{ start = "2026-12-03", end = "2026-12-05" }] }`, false},
		{"other object", `{ date_range = { from = "2026-12-03", to = "2026-12-05" } }`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := head + "test \"t\" {\n  turn {\n    user     = \"book\"\n    entities = " + tt.entities + "\n  }\n}\n"
			bot, diags := LoadFiles(map[string][]byte{"main.hcl": []byte(src)}, testOptions)
			if diags.HasErrors() != tt.wantErr {
				t.Fatalf("errors = %v, want errors: %v", diags, tt.wantErr)
			}
			if !tt.wantErr && bot.Tests[0].Turns[0].Entities["date_range"].IsNull() {
				t.Error("the expectation was dropped")
			}
		})
	}
}

// TestLoadTestNoneAndSurvey: "none" decodes as itself for handoff, ticket and
// approval, written out or from a for_each table, and survey forces the
// after_bot draw per test or per case.
func TestLoadTestNoneAndSurvey(t *testing.T) {
	bot, diags := LoadDir("testdata/valid/test_none_and_survey", testOptions)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	type testView struct {
		Name                      string
		Survey                    *bool
		Handoff, Ticket, Approval string
	}
	yes, no := true, false
	var got []testView
	for _, tc := range bot.Tests {
		turn := tc.Turns[0]
		got = append(got, testView{tc.Name, tc.Survey, turn.Handoff, turn.Ticket, turn.Approval})
	}
	want := []testView{
		{"nobody is involved", &yes, "none", "none", "none"},
		{"never surveyed", &no, "", "", ""},
		{`handed off or not["hours"]`, &yes, "none", "none", ""},
		{`handed off or not["human"]`, &no, "general", "none", ""},
		{`handed off or not["named"]`, &no, "general", "none", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tests (-want +got):\n%s", diff)
	}
}

// The mistakes around "none" and survey say what to write instead.
func TestTestNoneAndSurveyErrors(t *testing.T) {
	const head = `
bot "b" {
  languages = ["en"]
  SURVEY
}

intent "hours" {
  examples = ["when are you open", "opening hours", "what time do you open", "are you open today", "hours please"]
}

queue "general" {}
`
	tests := []struct {
		name, survey, src string
		want              []string
	}{
		{"null handoff", "", `test "t" {
  turn {
    user    = "when are you open"
    handoff = null
  }
}`, []string{`null does not mean none here: write handoff = "none" to expect no handoff this turn, or leave handoff out not to check it.`}},
		{"null approval from a table", "", `test "t" {
  for_each = { a = { approval = null } }

  turn {
    user     = "when are you open"
    approval = each.value.approval
  }
}`, []string{`This is null here, but it must be a queue reference like queue.NAME, or its name. "none" expects no approval asked for this turn. Case "a" of the table gives no value: give every case one, or put the cases that check nothing here in a test of their own.`}},
		{"another word", "", `test "t" {
  turn {
    user   = "when are you open"
    ticket = "nothing"
  }
}`, []string{`Expected a reference like queue.NAME, or "none" to expect no ticket this turn. A reference is written without quotes: queue.nothing.`}},
		{"none for a response", "", `test "t" {
  turn {
    user     = "when are you open"
    response = "none"
  }
}`, []string{`response expects a response reference like response.NAME; "none" works only for intent, dialog, handoff, ticket, approval and knowledge. To expect that the bot says nothing this turn, write reply = []; to expect that it says no named response, responses = [].`}},
		{"survey without a survey block", "", `test "t" {
  survey = true

  turn {
    user = "when are you open"
  }
}`, []string{`survey = true makes this test's conversation draw the after_bot survey, but the bot has no survey block, so it never asks after resolving a request. Add survey { after_bot = 0.2 } to the bot block, or remove survey = true.`}},
		{"survey with after_bot = 0", "survey {\n    after_bot = 0\n  }", `test "t" {
  survey = true

  turn {
    user = "when are you open"
  }
}`, []string{`survey = true makes this test's conversation draw the after_bot survey, but after_bot in the bot's survey block (main.hcl:4,3-9) is 0, so the bot never asks after resolving a request. Set after_bot above 0, like 0.2, or remove survey = true.`}},
		{"survey = false needs no survey", "", `test "t" {
  survey = false

  turn {
    user = "when are you open"
  }
}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(head, "SURVEY", tt.survey, 1) + tt.src
			if diff := cmp.Diff(tt.want, errorDetails(t, src)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}
