package server

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// TestBrowserDesk drives the console's tickets and approvals views in headless
// Chromium at 800 px wide, against the real server and the shop's order
// system: a supervisor is told of a new ticket live, filters, opens, assigns,
// moves it on and notes it (the customer hears of it in the web chat), sees
// an SLA breach, and approves a refund the bot asked about (the customer hears
// that too).
func TestBrowserDesk(t *testing.T) {
	chrome := findChromium(t)
	shop := enginetest.StartShopBackend(t)
	bot := enginetest.Load(t, enginetest.ShopDir())
	start := time.Now()
	var offset atomic.Int64 // the test moves the server's clock on
	e, err := engine.New(context.Background(), bot, engine.Options{
		Store: memstore.New(),
		Clock: func() time.Time { return monday10.Add(time.Since(start) + time.Duration(offset.Load())) },
		Sleep: func(context.Context, time.Duration) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	const adminToken = "desk-browser-admin"
	srv := NewServer(e, ServerConfig{Token: adminToken, RouteEvery: -1, SweepEvery: -1, RateLimit: 1000, RateBurst: 1000})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		_ = srv.Close(context.Background())
		ts.Close()
	})
	api := apiCaller(t, ts.URL)
	tom := api("POST", "/v1/admin/agents", adminToken, map[string]any{"id": "tom", "name": "Tom", "role": "supervisor",
		"skills": []string{"customer_service", "refunds", "refund_approval"}})["key"].(string)

	tab := startBrowser(t, chrome, 800, 900)
	narrow := chromedp.EmulateViewport(800, 900)
	chat := tab("desk-chat", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	console := tab("console-tickets", narrow)
	tabs := []*browserTab{chat, console}
	shots := map[string]string{}
	shot := func(name string) {
		if *update {
			shots[name] = ""
			dir := filepath.Join("web", "testdata", "screenshots")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			console.screenshot(t, filepath.Join(dir, name+".png"))
		}
	}
	t.Cleanup(func() {
		if t.Failed() {
			dir, err := os.MkdirTemp("", "parley-desk-browser-")
			if err != nil {
				return
			}
			for _, bt := range tabs {
				bt.screenshot(t, filepath.Join(dir, bt.name+".png"))
			}
			t.Logf("screenshots of the failure are in %s", dir)
		}
	})
	// set gives a form field a value as a person would: input and change events.
	set := func(t *testing.T, id, value string) {
		t.Helper()
		idJS, _ := json.Marshal(id)
		valueJS, _ := json.Marshal(value)
		console.eval(t, `(() => { const f = document.getElementById(`+string(idJS)+`); f.value = `+string(valueJS)+`;
			f.dispatchEvent(new Event("input", {bubbles: true})); f.dispatchEvent(new Event("change", {bubbles: true})); return f.value })()`)
	}
	fits := func(t *testing.T) {
		t.Helper()
		if w := console.eval(t, `document.documentElement.scrollWidth`); w.(float64) > 800 {
			t.Errorf("the console is %v px wide at 800 px: it scrolls sideways", w)
		}
	}

	var callBack string // the number of a ticket filed below
	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"sign in", func(t *testing.T) {
			console.do(t, chromedp.Navigate(ts.URL+"/console"),
				chromedp.WaitVisible(chromedp.CSS("#api-key")),
				chromedp.SendKeys(chromedp.CSS("#api-key"), tom+kb.Enter))
			console.waitText(t, "#me", "Tom")
			console.do(t, chromedp.WaitVisible(chromedp.CSS(`#views [data-view="approvals"]`)))
		}},
		{"a ticket from the chat is announced live", func(t *testing.T) {
			chat.do(t, chromedp.Navigate(ts.URL+"/"))
			chat.waitText(t, "li.msg.bot .bubble", "How can we help")
			chat.send(t, "refund GH500000, it's the wrong item")
			chat.waitText(t, "li.msg.bot .bubble", "Shall I go ahead?")
			chat.send(t, "yes")
			chat.waitText(t, "li.msg.bot .bubble", "refunds team")
			console.waitText(t, ".toast", "New ticket in refund_review")
			console.waitText(t, "#tickets-count", "1")
		}},
		{"tickets from the API, listed and filtered", func(t *testing.T) {
			api("POST", "/v1/tickets", tom, map[string]any{"subject": "Where is my invoice?", "description": "I need the invoice for order CD654321 for my taxes.",
				"customer": map[string]any{"email": "bo@example.com"}})
			callBack = api("POST", "/v1/tickets", tom, map[string]any{"subject": "Call me back please", "queue": "general", "priority": "urgent",
				"customer": map[string]any{"phone": "+8613800000001"}})["ticket"].(map[string]any)["id"].(string)
			console.do(t, chromedp.Click(chromedp.CSS(`#views [data-view="tickets"]`)))
			console.waitText(t, "#t-summary", "3 tickets")
			console.waitText(t, "#t-list .item", "Refund review: GH500000")
			set(t, "t-queue", "general")
			console.waitText(t, "#t-summary", "2 tickets")
			console.do(t, chromedp.SendKeys(chromedp.CSS("#t-q"), "invoice"))
			console.waitText(t, "#t-summary", "1 ticket")
			console.waitText(t, "#t-list .item", "Where is my invoice?")
			fits(t)
			set(t, "t-q", "")
			set(t, "t-queue", "")
			console.waitText(t, "#t-summary", "3 tickets")
		}},
		{"a ticket number a customer quotes finds the ticket, whatever the filters", func(t *testing.T) {
			set(t, "t-status", "solved")
			console.waitText(t, "#t-summary", "0 tickets")
			console.do(t, chromedp.SendKeys(chromedp.CSS("#t-q"), strings.ToLower(callBack)))
			console.waitText(t, "#t-summary", "1 ticket")
			console.waitText(t, "#t-list .item", "Call me back please")
			set(t, "t-q", "")
			set(t, "t-status", "open,pending")
			console.waitText(t, "#t-summary", "3 tickets")
		}},
		{"the email or phone a customer gives finds their tickets", func(t *testing.T) {
			placeholder, _ := console.eval(t, `document.getElementById("t-q").placeholder`).(string)
			if !strings.Contains(placeholder, "email") || !strings.Contains(placeholder, "phone") {
				t.Errorf("the search box's placeholder %q does not say it searches emails and phones", placeholder)
			}
			console.do(t, chromedp.SendKeys(chromedp.CSS("#t-q"), "BO@example.com"))
			console.waitText(t, "#t-summary", "1 ticket")
			console.waitText(t, "#t-list .item", "Where is my invoice?")
			set(t, "t-q", "")
			console.do(t, chromedp.SendKeys(chromedp.CSS("#t-q"), "+86 138 0000 0001"))
			console.waitText(t, "#t-summary", "1 ticket")
			console.waitText(t, "#t-list .item", "Call me back please")
			set(t, "t-q", "")
			console.waitText(t, "#t-summary", "3 tickets")
		}},
		{"an SLA breach is flagged and shown", func(t *testing.T) {
			offset.Store(int64(5 * time.Hour)) // general urgent: 4 h
			srv.sweep(context.Background())
			console.do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("t-breached").click()`))
			console.waitText(t, "#t-summary", "1 ticket")
			console.waitText(t, "#t-list .item .badge.breached", "SLA breached")
			console.waitText(t, "#t-list .item", "Call me back please")
			console.do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("t-breached").click()`))
			console.waitText(t, "#t-summary", "3 tickets")
			shot("console-tickets")
		}},
		{"open, assign, move on and note a ticket", func(t *testing.T) {
			console.eval(t, `[...document.querySelectorAll("#t-list .item")].find(li => li.textContent.includes("Refund review")).click()`)
			console.waitText(t, "#t-title", "Refund review: GH500000")
			console.waitText(t, "#t-transcript .t.customer .text", "refund GH500000")
			fits(t)
			if vis := console.eval(t, `getComputedStyle(document.querySelector("#tickets-view .view-list")).display`); vis != "none" {
				t.Errorf("at 800 px the list stays beside the ticket (display %v)", vis)
			}
			set(t, "t-set-assignee", "tom")
			set(t, "t-set-status", "pending")
			console.do(t, chromedp.SendKeys(chromedp.CSS("#t-note"), "Asked for a photo of the label"),
				chromedp.Click(chromedp.CSS("#t-save")))
			console.waitText(t, "#t-history li", "changed the status from open to pending")
			console.waitText(t, "#t-history li", "assigned it to tom")
			console.waitText(t, "#t-history q", "Asked for a photo of the label")
			console.waitText(t, "#t-sub", "pending")
			// The customer hears of it in the chat, in the analyst's words.
			chat.waitText(t, "li.msg.bot .bubble", "We need a little more from you")
			console.do(t, chromedp.SendKeys(chromedp.CSS("#t-note"), "Photo received, looks right"),
				chromedp.Click(chromedp.CSS("#t-add-note")))
			console.waitText(t, "#t-history li.note", "Photo received, looks right")
			console.do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("t-detail").scrollTop = 0`))
			shot("console-ticket")
			console.do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("t-history").scrollIntoView()`))
			shot("console-ticket-history")
			console.do(t, chromedp.Click(chromedp.CSS("#t-back")))
			console.waitText(t, "#t-list .item", "with tom")
		}},
		{"a public reply reaches the customer in the chat, as the agent's", func(t *testing.T) {
			console.eval(t, `[...document.querySelectorAll("#t-list .item")].find(li => li.textContent.includes("Refund review")).click()`)
			console.waitText(t, "#t-title", "Refund review: GH500000")
			console.do(t, chromedp.SendKeys(chromedp.CSS("#t-note"), "Thanks for the photo: the refund goes out today."),
				chromedp.Click(chromedp.CSS("#t-send-reply")))
			console.waitText(t, "#t-history li.reply", "replied to the customer")
			console.waitText(t, "#t-history li.reply q", "the refund goes out today")
			chat.waitText(t, "li.msg.agent .bubble", "the refund goes out today")
			console.do(t, chromedp.Click(chromedp.CSS("#t-back")))
		}},
		{"a supervisor approves a large refund", func(t *testing.T) {
			chat.send(t, "I want a refund for RS005001, it's the wrong item")
			chat.waitText(t, "li.msg.bot .bubble", "refund order RS005001")
			chat.send(t, "yes")
			chat.waitText(t, "li.msg.bot .bubble", "need a supervisor's approval")
			console.waitText(t, ".toast", "Approval needed in supervisors")
			console.waitText(t, "#approvals-count", "1")
			console.do(t, chromedp.Click(chromedp.CSS(`#views [data-view="approvals"]`)))
			console.waitText(t, "#a-list .item", "Refund of ¥5,001.00 for order RS005001")
			console.click(t, "#a-list .item")
			console.waitText(t, "#a-call dd", "refund-RS005001")
			console.waitText(t, "#a-rule", "Rule refund_supervisor: Large refunds wait for a supervisor's approval")
			console.waitText(t, "#a-transcript .t.customer .text", "RS005001")
			fits(t)
			shot("console-approval")
			if n := shop.Stats().RefundsApplied["RS005001"]; n != 0 {
				t.Fatalf("%d refunds before the approval", n)
			}
			console.do(t, chromedp.SendKeys(chromedp.CSS("#a-note"), "Wrong item confirmed by the warehouse"),
				chromedp.Click(chromedp.CSS("#a-approve")))
			console.waitText(t, "#a-facts dd", "done: the call succeeded")
			console.waitText(t, "#a-sub", "approved")
			chat.waitText(t, "li.msg.bot .bubble", "order RS005001 is approved (reference RF-")
			if n := shop.Stats().RefundsApplied["RS005001"]; n != 1 {
				t.Errorf("%d refunds after the approval, want 1", n)
			}
			console.waitText(t, "#a-summary", "Nothing waits")
		}},
		{"back to the inbox", func(t *testing.T) {
			console.do(t, chromedp.Click(chromedp.CSS(`#views [data-view="inbox"]`)),
				chromedp.WaitVisible(chromedp.CSS("#queues")))
			if hidden := console.eval(t, `document.getElementById("tickets-view").hidden && document.getElementById("approvals-view").hidden`); hidden != true {
				t.Error("the other views stay visible in the inbox")
			}
			console.waitText(t, ".queue h3", "supervisors")
			fits(t)
		}},
		{"wide: the list beside the ticket", func(t *testing.T) {
			console.do(t, chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.CSS(`#views [data-view="tickets"]`)))
			console.waitText(t, "#t-list .item", "Refund review: GH500000")
			console.eval(t, `[...document.querySelectorAll("#t-list .item")].find(li => li.textContent.includes("Refund review")).click()`)
			console.do(t, chromedp.WaitVisible(chromedp.CSS("#t-ticket")))
			console.waitText(t, "#t-history li", "assigned it to tom")
			if vis := console.eval(t, `getComputedStyle(document.querySelector("#tickets-view .view-list")).display`); vis == "none" {
				t.Error("wide, the list is hidden beside the ticket")
			}
			shot("console-tickets-wide")
		}},
	}
	for _, step := range steps {
		if !t.Run(step.name, step.run) {
			t.Fatalf("step %q failed; later steps depend on it", step.name)
		}
	}
	if *update {
		chat.screenshot(t, filepath.Join("web", "testdata", "screenshots", "desk-chat.png"))
	}
}
