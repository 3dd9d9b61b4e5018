package server

import (
	"context"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// TestBrowserAssign: a supervisor gives a waiting conversation to Ann from
// the console, then moves it to Bo; Assign does nothing until an agent is
// chosen, and agents are not offered it.
func TestBrowserAssign(t *testing.T) {
	chrome := findChromium(t)
	e := newShopEngine(t, memstore.New(), monday10)
	ts := serveConsole(t, e)
	if _, err := e.Handle(context.Background(), engine.Message{ConversationID: "give1", Channel: "web", CustomerID: "zoe", Text: "I want to talk to a person"}); err != nil {
		t.Fatal(err)
	}
	api := apiCaller(t, ts.URL)
	for _, id := range []string{"ann", "bo"} {
		api("POST", "/v1/admin/agents", "admin-token", map[string]any{"id": id, "name": map[string]string{"ann": "Ann", "bo": "Bo"}[id], "skills": []string{"customer_service"}})
	}
	sue := api("POST", "/v1/admin/agents", "admin-token", map[string]any{"id": "sue", "name": "Sue", "role": "supervisor"})["key"].(string)
	holder := func() string {
		hs, err := e.Store().Handoffs(context.Background(), store.HandoffFilter{ConversationID: "give1"})
		if err != nil || len(hs) != 1 {
			t.Fatalf("handoffs of give1: %v, %v", hs, err)
		}
		return hs[0].Agent
	}
	waitHolder := func(want string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for got := holder(); got != want; got = holder() {
			if time.Now().After(deadline) {
				t.Fatalf("held by %q, want %q", got, want)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	choose := func(console *browserTab, agent string) {
		console.waitJS(t, `[...document.getElementById("assign-agent").options].some(o => o.value === "`+agent+`")`)
		console.eval(t, `(() => { const s = document.getElementById("assign-agent"); s.value = "`+agent+`"; s.dispatchEvent(new Event("change", {bubbles: true})); return s.value })()`)
	}

	console := startBrowser(t, chrome, 1280, 900)("console-assign")
	console.signIn(t, ts.URL, sue)
	console.click(t, "#queues .item")
	console.waitJS(t, `!document.getElementById("assign-box").hidden`)
	console.click(t, "#assign")
	console.waitText(t, "#h-error", "Choose the agent")
	if got := holder(); got != "" {
		t.Errorf("after Assign with nobody chosen: held by %q", got)
	}
	choose(console, "ann")
	console.click(t, "#assign")
	console.waitText(t, "#h-sub", "with ann")
	waitHolder("ann")
	choose(console, "bo")
	console.click(t, "#assign")
	console.waitText(t, "#h-sub", "with bo")
	waitHolder("bo")
}
