package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// TestBrowserConsoleTimesInBotZone opens a conversation in the console from a
// computer set to New York: its times are the bot's (Asia/Shanghai), as the
// dashboard and the reports count them and as the bot speaks of them, and a
// message from another day says which day.
func TestBrowserConsoleTimesInBotZone(t *testing.T) {
	chrome := findChromium(t)
	st := memstore.New()
	e := newShopEngine(t, st, monday10)
	ts := serveConsole(t, e)
	if _, err := e.Handle(context.Background(), engine.Message{ConversationID: "tz1", Channel: "web", CustomerID: "zoe", Text: "I want to talk to a person"}); err != nil {
		t.Fatal(err)
	}
	key := createBrowserAgent(t, ts.URL, "admin-token")

	tab := startBrowser(t, chrome, 1280, 900)
	console := tab("console-tz", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/New_York"})
		return err
	}))
	console.signIn(t, ts.URL, key)
	console.waitText(t, "#me", "Ann")
	console.click(t, "#queues .item")
	// 10:00 in Shanghai on Monday 23 November; 21:00 on the 22nd in New York.
	console.waitText(t, "#transcript .t.customer .who", "Nov 23")
	console.waitText(t, "#transcript .t.customer .who", "10:00")
}

// TestBrowserConsoleResumesSession reloads a signed-in console while one of
// its modules is slow to load: the session resumes only once every module
// listens, so none misses it (here the workspace's auto-assign chip; before,
// it stayed hidden about one reload in six).
func TestBrowserConsoleResumesSession(t *testing.T) {
	chrome := findChromium(t)
	e := newShopEngine(t, memstore.New(), monday10)
	ts := serveConsole(t, e)
	key := createBrowserAgent(t, ts.URL, "admin-token")
	console := startBrowser(t, chrome, 1280, 900)("console-reload")
	console.signIn(t, ts.URL, key)
	console.waitText(t, "#auto-assign", "Auto-assign off")

	// workspace.js comes 800 ms late; GET /v1/agent/me does not wait for it.
	console.do(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/static/workspace.js*"}}})
		return err
	}))
	go func() {
		for ev, err := range chromedp.Events(console.ctx, fetch.RequestPaused) {
			if err != nil {
				return
			}
			time.Sleep(800 * time.Millisecond)
			_ = chromedp.Do(console.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
				return err
			}))
		}
	}()
	console.do(t, chromedp.Reload())
	console.waitText(t, "#me", "Ann")
	console.waitText(t, "#auto-assign", "Auto-assign off")
}

// TestBrowserClaimTakenByAnother: Bob has a waiting conversation open when Ann
// claims it. His claim fails, and the conversation, whose words only Ann may
// now read, says why it is empty rather than look as if nobody wrote.
func TestBrowserClaimTakenByAnother(t *testing.T) {
	chrome := findChromium(t)
	e := newShopEngine(t, memstore.New(), monday10)
	ts := serveConsole(t, e)
	if _, err := e.Handle(context.Background(), engine.Message{ConversationID: "race1", Channel: "web", CustomerID: "zoe", Text: "I want to talk to a person"}); err != nil {
		t.Fatal(err)
	}
	ann := createBrowserAgent(t, ts.URL, "admin-token")
	bob := createAgentWithRole(t, ts.URL, "admin-token", "bob", "agent")
	console := startBrowser(t, chrome, 1280, 900)("console-bob")
	console.signIn(t, ts.URL, bob)
	console.click(t, "#queues .item")
	console.waitText(t, "#transcript .t.customer .text", "talk to a person")
	id := console.eval(t, `document.querySelector("#queues .item").dataset.id`).(string)

	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/v1/agent/handoffs/"+id+"/claim", nil)
	req.Header.Set("Authorization", "Bearer "+ann)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("Ann's claim: %d", resp.StatusCode)
	}
	// Whether Bob's click comes before the live update or after it (which
	// hides the button and clears the claim's error), the conversation says
	// who has it.
	console.eval(t, `document.getElementById("claim").click()`)
	console.waitText(t, "#h-sub", "with ann")
	console.waitText(t, "#transcript .t.system", "ann has this conversation now")
	if hidden := console.eval(t, `document.getElementById("claim").hidden`); hidden != true {
		t.Error("the Claim button stays on a conversation Ann holds")
	}
}

// TestBrowserTransfer: Transfer does nothing until the agent has chosen a
// queue, then moves the conversation there.
func TestBrowserTransfer(t *testing.T) {
	chrome := findChromium(t)
	e := newShopEngine(t, memstore.New(), monday10)
	ts := serveConsole(t, e)
	if _, err := e.Handle(context.Background(), engine.Message{ConversationID: "move1", Channel: "web", CustomerID: "zoe", Text: "I want to talk to a person"}); err != nil {
		t.Fatal(err)
	}
	ann := createBrowserAgent(t, ts.URL, "admin-token")
	console := startBrowser(t, chrome, 1280, 900)("console-transfer")
	console.signIn(t, ts.URL, ann)
	console.click(t, "#queues .item")
	console.click(t, "#claim")
	console.waitText(t, "#h-sub", "with ann")
	// The list of the agent's chats refreshes on its own, maybe after the header.
	console.waitJS(t, `document.querySelector("#mine .item") !== null`)
	id := console.eval(t, `document.querySelector("#mine .item").dataset.id`).(string)
	queueOf := func() string {
		var h struct {
			Queue, Status string
		}
		if code := getJSON(t, ts.URL+"/v1/agent/handoffs/"+id, "admin-token", &h); code != http.StatusOK {
			t.Fatalf("GET handoff: %d", code)
		}
		return h.Queue + " " + h.Status
	}

	console.click(t, "#transfer")
	console.waitText(t, "#h-error", "Choose the queue")
	if got := queueOf(); got != "general assigned" {
		t.Errorf("after Transfer with no queue chosen: %s, want general assigned", got)
	}
	console.eval(t, `(() => { const s = document.getElementById("transfer-queue"); s.value = "priority"; s.dispatchEvent(new Event("change", {bubbles: true})); return s.value })()`)
	console.click(t, "#transfer")
	console.waitText(t, "#queues .queue", "priority")
	deadline := time.Now().Add(5 * time.Second)
	for got := queueOf(); got != "priority waiting"; got = queueOf() {
		if time.Now().After(deadline) {
			t.Fatalf("after the transfer: %s, want priority waiting", got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// serveConsole serves e with an admin key for the console tests, routing
// and sweeping only when a test says so.
func serveConsole(t *testing.T, e *engine.Engine) *httptest.Server {
	t.Helper()
	srv := NewServer(e, ServerConfig{Token: "admin-token", RouteEvery: -1, SweepEvery: -1})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		_ = srv.Close(context.Background())
		ts.Close()
	})
	return ts
}

// signIn opens the console at url and signs in with an agent's key.
func (b *browserTab) signIn(t *testing.T, url, key string) {
	t.Helper()
	b.do(t, chromedp.Navigate(url+"/console"), chromedp.WaitVisible(chromedp.CSS("#api-key")),
		chromedp.SendKeys(chromedp.CSS("#api-key"), key+kb.Enter))
}

// TestBrowserRequeueOfflineAgent: Ann goes offline holding a chat. The
// supervisor's dashboard says so (it read "offline", as if she held nothing)
// and returns the chat to its queue, where another agent can take it.
func TestBrowserRequeueOfflineAgent(t *testing.T) {
	chrome := findChromium(t)
	e := newShopEngine(t, memstore.New(), monday10)
	ts := serveConsole(t, e)
	if _, err := e.Handle(context.Background(), engine.Message{ConversationID: "gone1", Channel: "web", CustomerID: "zoe", Text: "I want to talk to a person"}); err != nil {
		t.Fatal(err)
	}
	ann := createBrowserAgent(t, ts.URL, "admin-token")
	sue := createAgentWithRole(t, ts.URL, "admin-token", "sue", "supervisor")
	api := apiCaller(t, ts.URL)
	hs := api("GET", "/v1/agent/handoffs?status=waiting", ann, nil)["handoffs"].([]any)
	id := hs[0].(map[string]any)["id"].(string)
	api("POST", "/v1/agent/handoffs/"+id+"/claim", ann, nil)
	api("PUT", "/v1/agent/me/status", ann, map[string]string{"status": "offline"})

	board := startBrowser(t, chrome, 1280, 900)("dashboard-requeue")
	board.signIn(t, ts.URL, sue)
	board.click(t, "#dashboard-toggle")
	board.waitText(t, ".dash-staff tr.late", "offline with 1 open chat")
	board.click(t, ".dash-staff .dash-requeue")
	board.waitJS(t, `![...document.querySelectorAll(".dash-staff tr")].some(r => r.textContent.includes("open chat"))`)
	var h struct{ Queue, Status, Agent string }
	if code := getJSON(t, ts.URL+"/v1/agent/handoffs/"+id, "admin-token", &h); code != http.StatusOK {
		t.Fatalf("GET handoff: %d", code)
	}
	if got := h.Queue + " " + h.Status + " " + h.Agent; got != "general waiting " {
		t.Errorf("after Return to queue: %q, want general waiting with nobody", got)
	}
}

// TestBrowserInboxCountsWaiting: Ann is working the tickets when two
// customers ask for a person at once. The Inbox tab and the page's title say
// two are waiting, without a reload; before, only the hidden inbox changed.
func TestBrowserInboxCountsWaiting(t *testing.T) {
	chrome := findChromium(t)
	e := newShopEngine(t, memstore.New(), monday10)
	ts := serveConsole(t, e)
	ann := createBrowserAgent(t, ts.URL, "admin-token")
	console := startBrowser(t, chrome, 1280, 900)("console-waiting")
	console.signIn(t, ts.URL, ann)
	console.waitText(t, "#me", "Ann")
	if hidden := console.eval(t, `document.getElementById("inbox-count").hidden`); hidden != true {
		t.Error("the Inbox tab counts customers waiting before anyone waits")
	}
	console.click(t, `#views [data-view="tickets"]`)
	api := apiCaller(t, ts.URL)
	for range 2 {
		c := startTestConversation(t, ts.URL)
		api("POST", "/v1/conversations/"+c.id+"/messages", c.token, map[string]string{"text": "I want to talk to a person"})
	}
	console.waitText(t, "#inbox-count", "2")
	if title := console.eval(t, `document.title`); title != "(2) Agent console" {
		t.Errorf("title %q, want (2) Agent console", title)
	}
	// Each says how long it has waited, to take the one who waited longer first.
	console.click(t, `#views [data-view="inbox"]`)
	console.waitJS(t, `[...document.querySelectorAll("#queues .item .sub")].filter(e => / waiting \d/.test(e.textContent)).length === 2`)
}

// TestBrowserOfflineWithChatsWarns: Ann goes offline holding a chat. Nobody
// else sees that customer, so the console tells her, until she is back.
func TestBrowserOfflineWithChatsWarns(t *testing.T) {
	chrome := findChromium(t)
	e := newShopEngine(t, memstore.New(), monday10)
	ts := serveConsole(t, e)
	if _, err := e.Handle(context.Background(), engine.Message{ConversationID: "away1", Channel: "web", CustomerID: "zoe", Text: "I want to talk to a person"}); err != nil {
		t.Fatal(err)
	}
	ann := createBrowserAgent(t, ts.URL, "admin-token")
	console := startBrowser(t, chrome, 1280, 900)("console-away")
	console.signIn(t, ts.URL, ann)
	console.click(t, "#queues .item")
	console.click(t, "#claim")
	console.waitJS(t, `document.querySelector("#mine .item") !== null`)
	status := func(s string) {
		console.eval(t, `(() => { const s = document.getElementById("status"); s.value = "`+s+`"; s.dispatchEvent(new Event("change", {bubbles: true})); return s.value })()`)
	}
	status("offline")
	console.waitText(t, "#away-warning", "a customer waits for you")
	status("online")
	console.waitJS(t, `document.getElementById("away-warning").textContent === ""`)
}
