package server

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// TestBrowserTicketRestricted opens, in headless Chromium, a ticket in a
// queue the signed-in agent does not work: the console says why there is no
// customer or description, instead of "No description.", and offers no
// change the server would refuse.
func TestBrowserTicketRestricted(t *testing.T) {
	chrome := findChromium(t)
	enginetest.StartShopBackend(t)
	bot := enginetest.Load(t, enginetest.ShopDir())
	e, err := engine.New(context.Background(), bot, engine.Options{Store: memstore.New(), Clock: func() time.Time { return monday10 },
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	const adminToken = "restricted-browser-admin"
	srv := NewServer(e, ServerConfig{Token: adminToken, RouteEvery: -1, SweepEvery: -1, RateLimit: 1000, RateBurst: 1000})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		_ = srv.Close(context.Background())
		ts.Close()
	})
	api := apiCaller(t, ts.URL)
	tom := api("POST", "/v1/admin/agents", adminToken, map[string]any{"id": "tom", "name": "Tom", "role": "supervisor"})["key"].(string)
	bo := api("POST", "/v1/admin/agents", adminToken, map[string]any{"id": "bo", "name": "Bo", "skills": []string{"callbacks"}})["key"].(string)
	api("POST", "/v1/tickets", tom, map[string]any{"subject": "Refund never arrived", "description": "Order AB123456, call me on +8613800000001.",
		"customer": map[string]any{"email": "cy@example.com"}, "queue": "refund_review"})

	console := startBrowser(t, chrome, 1280, 900)("console-ticket-restricted")
	console.do(t, chromedp.Navigate(ts.URL+"/console"),
		chromedp.WaitVisible(chromedp.CSS("#api-key")),
		chromedp.SendKeys(chromedp.CSS("#api-key"), bo+kb.Enter))
	console.waitText(t, "#me", "Bo")
	console.click(t, `#views [data-view="tickets"]`)
	console.waitText(t, "#t-list .item", "Refund never arrived")
	console.click(t, "#t-list .item")
	console.waitText(t, "#t-title", "Refund never arrived")
	console.waitText(t, "#t-description", "which you don't work")
	page := console.eval(t, `document.getElementById("t-detail").innerText`).(string)
	for _, secret := range []string{"cy@example.com", "AB123456"} {
		if strings.Contains(page, secret) {
			t.Errorf("the page shows %q to an agent outside the queue", secret)
		}
	}
	for _, id := range []string{"t-save", "t-set-status", "t-set-assignee", "t-add-note"} {
		if disabled := console.eval(t, `document.getElementById("`+id+`").disabled`); disabled != true {
			t.Errorf("#%s is enabled for an agent who may not change the ticket", id)
		}
	}
}

// TestBrowserTicketCustomerMessage: what the customer wrote back by email
// shows in the ticket's history as theirs, with their words.
func TestBrowserTicketCustomerMessage(t *testing.T) {
	chrome := findChromium(t)
	enginetest.StartShopBackend(t)
	bot := enginetest.Load(t, enginetest.ShopDir())
	e, err := engine.New(context.Background(), bot, engine.Options{Store: memstore.New(), Clock: func() time.Time { return monday10 },
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	srv := NewServer(e, ServerConfig{Token: "mail-browser-admin", RouteEvery: -1, SweepEvery: -1, RateLimit: 1000, RateBurst: 1000})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		_ = srv.Close(context.Background())
		ts.Close()
	})
	api := apiCaller(t, ts.URL)
	tom := api("POST", "/v1/admin/agents", "mail-browser-admin", map[string]any{"id": "tom", "name": "Tom", "role": "supervisor"})["key"].(string)
	id := api("POST", "/v1/tickets", tom, map[string]any{"subject": "Refund never arrived", "description": "Order AB123456.",
		"customer": map[string]any{"email": "cy@example.com"}, "queue": "refund_review"})["ticket"].(map[string]any)["id"].(string)
	if _, ok, err := desk.New(e).CustomerWrote(context.Background(), "Re: Refund never arrived ["+id+"]",
		store.Identity{Channel: "email", ExternalID: "cy@example.com"}, "The account ending 4321.", "email:<a1@example.com>"); err != nil || !ok {
		t.Fatalf("threaded %v, %v", ok, err)
	}

	console := startBrowser(t, chrome, 1280, 900)("console-ticket-customer-message")
	console.do(t, chromedp.Navigate(ts.URL+"/console"),
		chromedp.WaitVisible(chromedp.CSS("#api-key")),
		chromedp.SendKeys(chromedp.CSS("#api-key"), tom+kb.Enter))
	console.waitText(t, "#me", "Tom")
	console.click(t, `#views [data-view="tickets"]`)
	console.waitText(t, "#t-list .item", "Refund never arrived")
	console.click(t, "#t-list .item")
	console.waitText(t, "#t-history li.reply", "customer")
	console.waitText(t, "#t-history li.reply", "wrote (by email)")
	console.waitText(t, "#t-history li.reply q", "The account ending 4321.")
}
