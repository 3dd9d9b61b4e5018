package server

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// TestBrowserWorkspace drives the agent's workspace in headless Chromium at
// 800 px wide: the queue as a waiting customer sees it (and leaving it), the
// knowledge answers and quick replies of the reply box, the customer view with
// a VIP's history on other channels, auto-assignment, and agent
// administration. Screenshots of each view go to web/testdata/screenshots
// with -update (and to a temporary folder when a step fails).
func TestBrowserWorkspace(t *testing.T) {
	chrome := findChromium(t)
	st := memstore.New()
	start := time.Now()
	e, err := engine.New(context.Background(), loadShop(t), engine.Options{
		Store: st,
		Clock: func() time.Time { return monday10.Add(time.Since(start)) },
		Sleep: func(context.Context, time.Duration) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	const adminToken = "workspace-admin"
	srv := NewServer(e, ServerConfig{Token: adminToken, RouteEvery: -1, RateLimit: 1000, RateBurst: 1000})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		_ = srv.Close(context.Background())
		ts.Close()
	})
	agentKey := createBrowserAgent(t, ts.URL, adminToken)
	seedVIP(t, e)

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("force-prefers-reduced-motion", true),
		chromedp.WindowSize(800, 900),
	)...)
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start Chromium %s: %v", chrome, err)
	}
	narrow := chromedp.EmulateViewport(800, 900)
	tab := func(name string) *browserTab {
		ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		bt := &browserTab{name: name, ctx: ctx}
		if err := chromedp.Do(ctx, narrow); err != nil {
			t.Fatalf("open %s tab: %v", name, err)
		}
		return bt
	}
	first, second, console, admin := tab("queue-first"), tab("queue-second"), tab("console-agent"), tab("console-admin")

	shots := map[string]*browserTab{}
	shot := func(name string, bt *browserTab) {
		t.Helper()
		dir := filepath.Join("web", "testdata", "screenshots")
		if *update {
			bt.screenshot(t, filepath.Join(dir, name+".png"))
		}
		shots[name] = bt
	}
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		dir, err := os.MkdirTemp("", "parley-workspace-")
		if err != nil {
			return
		}
		for _, bt := range []*browserTab{first, second, console, admin} {
			bt.screenshot(t, filepath.Join(dir, bt.name+".png"))
		}
		t.Logf("screenshots of the failure are in %s", dir)
	})
	// noOverflow: nothing is cut off or needs sideways scrolling at 800 px.
	noOverflow := func(t *testing.T, bt *browserTab) {
		t.Helper()
		if w := bt.eval(t, `document.documentElement.scrollWidth`); w.(float64) > 800 {
			t.Errorf("%s: the page is %v px wide at 800 px", bt.name, w)
		}
	}
	signIn := func(bt *browserTab, key string) {
		bt.do(t, chromedp.Navigate(ts.URL+"/console"),
			chromedp.WaitVisible(chromedp.CSS("#api-key")),
			chromedp.SendKeys(chromedp.CSS("#api-key"), key+kb.Enter))
	}

	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"a waiting customer sees their place", func(t *testing.T) {
			first.do(t, chromedp.Navigate(ts.URL+"/"))
			first.waitText(t, "li.msg.bot .bubble", "How can we help")
			first.send(t, "how long does delivery take?")
			first.waitText(t, "li.msg.bot .bubble", "")
			first.send(t, "I want to talk to a human")
			first.waitText(t, "#queue .queue-text", "You're next in the queue")
			second.do(t, chromedp.Navigate(ts.URL+"/"))
			second.waitText(t, "li.msg.bot .bubble", "How can we help")
			second.send(t, "I want to talk to a human")
			second.waitText(t, "#queue .queue-text", "You're number 2 in the queue")
			second.waitText(t, "#queue .queue-text", "No one is available")
			second.send(t, "hello? anyone?")
			second.waitText(t, "li.msg.bot .bubble", "number 2 in the queue")
			noOverflow(t, second)
			shot("chat-queue", second)
		}},
		{"the customer leaves the queue", func(t *testing.T) {
			second.do(t, chromedp.Click(chromedp.CSS("#queue .queue-leave")))
			second.waitText(t, "li.msg.bot .bubble", "you've left the queue")
			second.do(t, chromedp.WaitNotVisible(chromedp.CSS("#queue")))
			first.waitText(t, "#queue .queue-text", "You're next in the queue")
		}},
		{"the agent sees auto-assignment and answers from the knowledge base", func(t *testing.T) {
			signIn(console, agentKey)
			console.waitText(t, "#me", "Ann")
			console.waitText(t, "#auto-assign", "Auto-assign off")
			console.waitText(t, ".queue .item button.claim", "Claim")
			console.eval(t, `[...document.querySelectorAll(".queue")].find(q => q.querySelector("h3").textContent === "general").querySelector("button.claim").click()`)
			console.do(t, chromedp.WaitVisible(chromedp.CSS("#reply-text")))
			console.do(t, chromedp.Click(chromedp.CSS("#tab-answers")))
			// What the customer asked, not their asking for a person.
			console.waitText(t, "#panel-answers .asked", "how long does delivery take?")
			console.countText(t, "#panel-answers .asked", "talk to a human", 0)
			console.waitText(t, "#panel-answers .answer strong", "")
			noOverflow(t, console)
			shot("console-answers", console)
			console.do(t, chromedp.Click(chromedp.CSS("#panel-answers .answer button.insert")))
			got := console.eval(t, `document.getElementById("reply-text").value`).(string)
			if len(got) < 20 {
				t.Fatalf("the reply box holds %q after inserting an answer", got)
			}
			// Edited before sending.
			console.do(t, chromedp.SendKeys(chromedp.CSS("#reply-text"), kb.End+" Anything else?"),
				chromedp.Click(chromedp.CSS("#reply")))
			console.waitText(t, "#transcript .t.agent .text", "Anything else?")
			first.waitText(t, "li.msg.agent .bubble", "Anything else?")
		}},
		{"quick replies from the reply box", func(t *testing.T) {
			console.do(t, chromedp.Click(chromedp.CSS("#reply-text")), chromedp.SendKeys(chromedp.CSS("#reply-text"), "/"))
			console.waitText(t, "#qr-list:not([hidden]) .qr-title", "Greeting")
			console.waitText(t, "#qr-list .qr-title", "Order delayed")
			noOverflow(t, console)
			shot("console-quick-replies", console)
			console.do(t, chromedp.SendKeys(chromedp.CSS("#reply-text"), "dela"))
			console.countText(t, "#qr-list .qr", "", 1)
			// Enter picks it. (A key event of the page's own: the char event
			// chromedp sends with kb.Enter would type a newline no browser types
			// after a handled keydown.)
			console.eval(t, `document.getElementById("reply-text").dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", bubbles: true, cancelable: true}))`)
			got := console.eval(t, `document.getElementById("reply-text").value`).(string)
			if got != "I'm sorry order [slot.order_id] is late. I've asked the warehouse to hurry it and will update you by tomorrow." {
				t.Errorf("reply box = %q", got)
			}
			// Sent as it is, the customer would read "[slot.order_id]": the
			// console refuses, says what to fill in, and selects it again.
			console.eval(t, `document.getElementById("reply-text").dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", ctrlKey: true, bubbles: true, cancelable: true}))`)
			console.waitText(t, "#h-error", "Fill in [slot.order_id]")
			if sent := console.eval(t, `[...document.querySelectorAll("#transcript .t.agent .text")].some(e => e.textContent.includes("[slot.order_id]"))`); sent != false {
				t.Error("the reply went with its gap unfilled")
			}
			// The missing order number is selected: typing replaces it.
			console.do(t, chromedp.SendKeys(chromedp.CSS("#reply-text"), "AB123456"))
			got = console.eval(t, `document.getElementById("reply-text").value`).(string)
			if got != "I'm sorry order AB123456 is late. I've asked the warehouse to hurry it and will update you by tomorrow." {
				t.Errorf("after typing the order number: %q", got)
			}
			console.do(t, chromedp.Click(chromedp.CSS("#reply")))
			first.waitText(t, "li.msg.agent .bubble", "order AB123456 is late")
		}},
		{"the customer view: a VIP's history on every channel", func(t *testing.T) {
			// An agent who does not serve the customer is not shown who they are.
			console.waitText(t, ".queue .item", "VIP")
			console.eval(t, `[...document.querySelectorAll(".queue")].find(q => q.querySelector("h3").textContent === "vip").querySelector(".item").click()`)
			console.waitText(t, "#h-sub", "Queue vip")
			console.do(t, chromedp.Click(chromedp.CSS("#tab-customer")))
			console.waitText(t, "#panel-customer .hint", "Claim the conversation to see who the customer is")
			// A supervisor (here the admin) is.
			signIn(admin, adminToken)
			admin.waitText(t, ".queue .item", "VIP")
			admin.eval(t, `[...document.querySelectorAll(".queue")].find(q => q.querySelector("h3").textContent === "vip").querySelector(".item").click()`)
			admin.waitText(t, "#h-sub", "Queue vip")
			admin.do(t, chromedp.Click(chromedp.CSS("#tab-customer")))
			admin.waitText(t, "#panel-customer .cust-name", "Li Wei")
			admin.waitText(t, "#panel-customer .cust-name .badge.vip", "VIP")
			admin.waitText(t, "#panel-customer .cust-head", "gold tier")
			admin.waitText(t, "#panel-customer .identities", "Whatsapp")
			admin.waitText(t, "#panel-customer .identities", "SMS")
			admin.waitText(t, "#panel-customer .satisfaction", "5.0 average")
			admin.countText(t, "#panel-customer .history-item", "", 2)
			admin.waitText(t, "#panel-customer .tickets-mini", "Callback")
			noOverflow(t, admin)
			admin.eval(t, `document.getElementById("facts-tabs").scrollIntoView()`)
			shot("console-customer", admin)
			admin.eval(t, `[...document.querySelectorAll("#panel-customer .history-item")].find(b => b.textContent.includes("Whatsapp")).click()`)
			admin.waitText(t, "#history-items .t.customer .text", "where is my refund")
			admin.waitText(t, "#history-items .t.note .text", "gold member")
			shot("console-customer-history", admin)
			admin.do(t, chromedp.Click(chromedp.CSS("#history-dialog header button")))
		}},
		{"an admin edits agents", func(t *testing.T) {
			admin.do(t, chromedp.WaitVisible(chromedp.CSS("#agents-tab")), chromedp.Click(chromedp.CSS("#agents-tab")))
			admin.waitText(t, ".agent-card", "Ann")
			admin.eval(t, `[...document.querySelectorAll(".agent-card")].find(c => c.dataset.id === "ann").querySelector("button").click()`)
			admin.do(t, chromedp.WaitVisible(chromedp.CSS("#agent-skills")))
			admin.do(t, chromedp.SetValue(chromedp.CSS("#agent-skills"), "customer_service, vip_care"),
				chromedp.SetValue(chromedp.CSS("#agent-auto_assign"), "on"))
			shot("console-agent-edit", admin)
			admin.do(t, chromedp.Click(chromedp.CSS("#agent-save")))
			admin.waitText(t, `.agent-card[data-id="ann"]`, "customer_service, vip_care")
			admin.waitText(t, `.agent-card[data-id="ann"]`, "auto-assign on")
			// Ann's console shows the change at once.
			console.waitText(t, "#auto-assign", "Auto-assign on")

			admin.do(t, chromedp.Click(chromedp.CSS("#new-agent")), chromedp.WaitVisible(chromedp.CSS("#agent-id")))
			admin.do(t, chromedp.SendKeys(chromedp.CSS("#agent-id"), "bo"), chromedp.SendKeys(chromedp.CSS("#agent-name"), "Bo"),
				chromedp.Click(chromedp.CSS("#agent-save")))
			admin.do(t, chromedp.WaitVisible(chromedp.CSS("#key-value")))
			if key := admin.eval(t, `document.getElementById("key-value").value`).(string); len(key) < 10 || key[:3] != "pk_" {
				t.Errorf("new agent's key = %q", key)
			}
			admin.eval(t, `[...document.querySelectorAll("dialog[open] button")].find(b => b.textContent === "Done").click()`)
			admin.waitText(t, `.agent-card[data-id="bo"]`, "Bo")
			admin.eval(t, `[...document.querySelectorAll('.agent-card[data-id="bo"] button')].find(b => b.textContent === "Disable").click()`)
			admin.do(t, chromedp.WaitVisible(chromedp.CSS("#confirm-yes")), chromedp.Click(chromedp.CSS("#confirm-yes")))
			admin.waitText(t, `.agent-card[data-id="bo"] .badge`, "disabled")
			noOverflow(t, admin)
			shot("console-agents", admin)
		}},
	}
	for _, step := range steps {
		if !t.Run(step.name, step.run) {
			t.Fatalf("step %q failed; later steps depend on it", step.name)
		}
	}
	audit, _ := st.Audit(context.Background(), store.AuditFilter{})
	n := 0
	for _, a := range audit {
		if a.Action == "agent.update" || a.Action == "agent.disable" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d agent.update/disable audit rows, want 2", n)
	}
}

// seedVIP gives the shop a VIP customer with a past: a WhatsApp conversation
// an agent closed (with a note and a 5-star rating) and a callback ticket,
// and now an SMS asking for a person, waiting in the vip queue.
func seedVIP(t *testing.T, e *engine.Engine) {
	t.Helper()
	ctx := context.Background()
	phone := store.Identity{Channel: "phone", ExternalID: "+8613800000009"}
	wa := engine.Message{ConversationID: ChannelConversationID("webhook:whatsapp", "wa-9"), Channel: "webhook:whatsapp", CustomerID: "wa-9",
		Customer: map[string]any{"vip": true, "tier": "gold", "name": "Li Wei", "phone": phone.ExternalID}, Identities: []store.Identity{phone, {Channel: "webhook:whatsapp", ExternalID: "wa-9"}}}
	for _, text := range []string{"where is my refund?", "I want to talk to a human"} {
		m := wa
		m.Text = text
		if _, err := e.Handle(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	d := desk.New(e)
	hs, _ := e.Store().Handoffs(ctx, store.HandoffFilter{ConversationID: wa.ConversationID})
	cy := store.Agent{ID: "cy", Name: "Cy", Role: desk.RoleSupervisor}
	steps := []func() error{
		func() error { _, err := d.Claim(ctx, hs[0].ID, cy, "agent:cy"); return err },
		func() error {
			_, err := d.AgentNote(ctx, hs[0].ID, cy, "gold member, refund sorted by phone", "")
			return err
		},
		func() error { _, _, err := d.CloseHandoff(ctx, hs[0].ID, cy, "done"); return err },
		func() error {
			m := wa
			m.Text, m.Customer = "5 very quick", nil
			_, err := e.Handle(ctx, m)
			return err
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("seed step %d: %v", i, err)
		}
	}
	// A ticket from that conversation, as the after-hours dialog leaves one.
	tx, err := e.Store().Begin(ctx, wa.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx, store.TurnRecord{Tickets: []store.Ticket{{Queue: "callbacks", Subject: "Callback: refund question", Priority: "normal", Status: "open"}}}); err != nil {
		t.Fatal(err)
	}
	sms := engine.Message{ConversationID: ChannelConversationID("sms", phone.ExternalID), Channel: "sms", CustomerID: phone.ExternalID,
		Identities: []store.Identity{phone, {Channel: "sms", ExternalID: phone.ExternalID}}, Text: "I want to talk to a human"}
	res, err := e.Handle(ctx, sms)
	if err != nil || res.Handoff == nil || res.Handoff.Queue != "vip" {
		t.Fatalf("the VIP's SMS: %+v, %v", res, err)
	}
}
