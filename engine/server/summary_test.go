package server

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// The agent opening a handoff reads what the customer came for and what the
// bot already did, in the bot's default language (the shop's agents read
// English), with the customer's words as they wrote them; and the values
// the customer gave in the session, though the dialog that asked is done.
func TestHandoffSummaryForTheAgent(t *testing.T) {
	tests := []struct {
		name     string
		messages []string
		summary  string
		slots    map[string]string
	}{
		{"track, then a person", []string{"where is my order AB123456?", "I want to talk to a human"},
			`Completed tracking your order (order_id AB123456), asked as "where is my order AB123456?". Call order: status shipped. Reason: asked_for_human.`, map[string]string{"order_id": "AB123456"}},
		{"in Chinese", []string{"我的订单 AB123456 什么时候到？", "转人工"},
			`Completed 查询订单 (order_id AB123456), asked as "我的订单 AB123456 什么时候到？". Call order: status shipped. Reason: asked_for_human.`, map[string]string{"order_id": "AB123456"}},
		{"a person at once", []string{"I want to talk to a person"},
			"The handoff came at the customer's first message, before the bot did anything. Reason: asked_for_human.", map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newShopEngine(t, memstore.New(), monday10)
			ts := serveConsole(t, e)
			for _, m := range tt.messages {
				if _, err := e.Handle(context.Background(), engine.Message{ConversationID: "sum1", Channel: "web", CustomerID: "zoe", Text: m}); err != nil {
					t.Fatal(err)
				}
			}
			var list struct {
				Handoffs []struct {
					ID string `json:"id"`
				} `json:"handoffs"`
			}
			if code := getJSON(t, ts.URL+"/v1/agent/handoffs?conversation=sum1", "admin-token", &list); code != http.StatusOK || len(list.Handoffs) != 1 {
				t.Fatalf("GET handoffs: %d, %+v", code, list)
			}
			var h struct {
				Summary string            `json:"summary"`
				Slots   map[string]string `json:"slots"`
			}
			if code := getJSON(t, ts.URL+"/v1/agent/handoffs/"+list.Handoffs[0].ID, "admin-token", &h); code != http.StatusOK {
				t.Fatalf("GET handoff: %d", code)
			}
			if diff := cmp.Diff(tt.summary, h.Summary); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.slots, h.Slots); diff != "" {
				t.Errorf("slots (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBrowserHandoffDetails: the console's Details panel shows the summary
// and the order the customer tracked before asking for a person.
func TestBrowserHandoffDetails(t *testing.T) {
	chrome := findChromium(t)
	e := newShopEngine(t, memstore.New(), monday10)
	ts := serveConsole(t, e)
	for _, m := range []string{"where is my order AB123456?", "I want to talk to a human"} {
		if _, err := e.Handle(context.Background(), engine.Message{ConversationID: "det1", Channel: "web", CustomerID: "zoe", Text: m}); err != nil {
			t.Fatal(err)
		}
	}
	ann := createBrowserAgent(t, ts.URL, "admin-token")
	console := startBrowser(t, chrome, 1280, 900)("console-details")
	console.signIn(t, ts.URL, ann)
	console.click(t, "#queues .item")
	console.waitText(t, "#summary", `Completed tracking your order (order_id AB123456), asked as "where is my order AB123456?".`)
	console.waitText(t, "#slots", "AB123456")
}
