package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// TestBrowserTicketRetries drives the console's tickets view in headless
// Chromium through what duplicates a note or a ticket in a plain page: the
// answer to "Add note" or "Create" is lost and the agent clicks again, and
// the form is submitted twice at once. Each is one note, one ticket.
func TestBrowserTicketRetries(t *testing.T) {
	chrome := findChromium(t)
	enginetest.StartShopBackend(t)
	bot := enginetest.Load(t, enginetest.ShopDir())
	st := memstore.New()
	e, err := engine.New(context.Background(), bot, engine.Options{Store: st, Clock: func() time.Time { return monday10 },
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	const adminToken = "retry-browser-admin"
	srv := NewServer(e, ServerConfig{Token: adminToken, RouteEvery: -1, SweepEvery: -1, RateLimit: 1000, RateBurst: 1000})
	// The next ticket POST is done, but its answer is lost on the way back,
	// as when a proxy times out or the network drops.
	var loseNext atomic.Bool
	var posts atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/v1/tickets") {
			posts.Add(1)
			if loseNext.CompareAndSwap(true, false) {
				srv.ServeHTTP(httptest.NewRecorder(), r)
				http.Error(w, `{"error":"bad gateway"}`, http.StatusBadGateway)
				return
			}
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		_ = srv.Close(context.Background())
		ts.Close()
	})
	api := apiCaller(t, ts.URL)
	tom := api("POST", "/v1/admin/agents", adminToken, map[string]any{"id": "tom", "name": "Tom", "role": "supervisor",
		"skills": []string{"customer_service", "refunds"}})["key"].(string)
	id := api("POST", "/v1/tickets", tom, map[string]any{"subject": "Where is my invoice?", "description": "For order CD654321.",
		"customer": map[string]any{"email": "bo@example.com"}})["ticket"].(map[string]any)["id"].(string)

	console := startBrowser(t, chrome, 1280, 900)("console-ticket-retries")
	notes := func(t *testing.T, text string) int {
		t.Helper()
		tk, err := st.Ticket(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, h := range tk.History {
			if h.Field == "note" && h.Note == text {
				n++
			}
		}
		return n
	}
	ticketsAbout := func(t *testing.T, subject string) int {
		t.Helper()
		ts, err := st.Tickets(context.Background(), store.TicketFilter{Text: subject})
		if err != nil {
			t.Fatal(err)
		}
		return len(ts)
	}
	// settled: the note's request is answered (the page clears the note).
	settled := func(t *testing.T) {
		t.Helper()
		ctx, cancel := context.WithTimeout(console.ctx, browserStepTimeout)
		defer cancel()
		js := `!document.getElementById("t-add-note").disabled && document.getElementById("t-note").value === ""`
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
			t.Fatalf("the note form does not settle: %v%s", err, console.consoleHint(t))
		}
	}
	fillNew := func(t *testing.T, subject string) {
		t.Helper()
		console.click(t, "#t-new")
		console.do(t, chromedp.WaitVisible(chromedp.CSS("#t-new-subject")),
			chromedp.SendKeys(chromedp.CSS("#t-new-subject"), subject),
			chromedp.SendKeys(chromedp.CSS("#t-new-email"), "cy@example.com"))
	}

	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"sign in and open the ticket", func(t *testing.T) {
			console.do(t, chromedp.Navigate(ts.URL+"/console"),
				chromedp.WaitVisible(chromedp.CSS("#api-key")),
				chromedp.SendKeys(chromedp.CSS("#api-key"), tom+kb.Enter))
			console.waitText(t, "#me", "Tom")
			console.click(t, `#views [data-view="tickets"]`)
			console.waitText(t, "#t-list .item", "Where is my invoice?")
			console.click(t, "#t-list .item")
			console.waitText(t, "#t-title", "Where is my invoice?")
		}},
		{"a note whose answer was lost, added again", func(t *testing.T) {
			loseNext.Store(true)
			before := posts.Load()
			console.do(t, chromedp.SendKeys(chromedp.CSS("#t-note"), "Sent the invoice by email"), chromedp.Click(chromedp.CSS("#t-add-note")))
			// The page may show the error, or already the note (the live
			// update of the change): either way, the agent clicks again.
			console.waitText(t, "#t-add-note:not([disabled])", "Add note")
			console.click(t, "#t-add-note")
			settled(t)
			console.waitText(t, "#t-history li.note", "Sent the invoice by email")
			if n := posts.Load() - before; n != 2 {
				t.Errorf("the page posted the note %d times, want 2 (the lost one and the retry)", n)
			}
			console.countText(t, "#t-history li.note", "Sent the invoice by email", 1)
			if n := notes(t, "Sent the invoice by email"); n != 1 {
				t.Errorf("%d notes stored, want 1", n)
			}
		}},
		{"a note submitted twice at once", func(t *testing.T) {
			before := posts.Load()
			console.do(t, chromedp.SendKeys(chromedp.CSS("#t-note"), "Customer confirmed"))
			console.eval(t, `(() => { const f = document.getElementById("t-note-form"); f.requestSubmit(); f.requestSubmit(); return true })()`)
			settled(t)
			console.waitText(t, "#t-history li.note", "Customer confirmed")
			if n := posts.Load() - before; n != 2 {
				t.Errorf("the page posted the note %d times, want 2 (a double submit)", n)
			}
			if n := notes(t, "Customer confirmed"); n != 1 {
				t.Errorf("%d notes stored, want 1", n)
			}
		}},
		{"a new ticket whose answer was lost, created again", func(t *testing.T) {
			fillNew(t, "Invoice address wrong")
			loseNext.Store(true)
			console.click(t, "#t-new-create")
			console.waitText(t, "#t-new-error", "502")
			console.waitText(t, "#t-new-create:not([disabled])", "Create")
			console.click(t, "#t-new-create")
			console.waitText(t, "#t-title", "Invoice address wrong")
			if n := ticketsAbout(t, "Invoice address wrong"); n != 1 {
				t.Errorf("%d tickets stored, want 1", n)
			}
		}},
		{"a new ticket submitted twice at once", func(t *testing.T) {
			before := posts.Load()
			fillNew(t, "Second invoice missing")
			console.eval(t, `(() => { const f = document.getElementById("t-new-form"); f.requestSubmit(); f.requestSubmit(); return true })()`)
			console.waitText(t, "#t-title", "Second invoice missing")
			if n := posts.Load() - before; n != 2 {
				t.Errorf("the page posted the ticket %d times, want 2 (a double submit)", n)
			}
			if n := ticketsAbout(t, "Second invoice missing"); n != 1 {
				t.Errorf("%d tickets stored, want 1", n)
			}
		}},
	}
	for _, step := range steps {
		if !t.Run(step.name, step.run) {
			t.Fatalf("step %q failed; later steps depend on it", step.name)
		}
	}
}
