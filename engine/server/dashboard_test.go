package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// seedOutcomes writes a fortnight of settled contacts, a few a day, with
// scores and some dissatisfied comments, ending at now.
func seedOutcomes(t *testing.T, st store.Store, now time.Time) {
	t.Helper()
	ctx := context.Background()
	comments := []string{"waited too long for an agent", "the wait for an agent was too long", "refund still not received", ""}
	kinds := []string{"bot_resolved", "bot_resolved", "bot_resolved", "agent_resolved", "abandoned", "bot_resolved", "not_understood"}
	for d := 13; d >= 0; d-- {
		for i := range 6 + d%3 {
			started := now.AddDate(0, 0, -d).Add(-time.Duration(i+1) * 20 * time.Minute)
			id := fmt.Sprintf("seed-%d-%d", d, i)
			kind := kinds[(d+i)%len(kinds)]
			o := store.Outcome{ConversationID: id, ContactSeq: 1, LastSeq: 4, CustomerID: id, Channel: "web", Language: "en",
				StartedAt: started, EndedAt: started.Add(time.Minute), SettledAt: started.Add(31 * time.Minute),
				Day: started.In(monday10.Location()).Format("2006-01-02"), Hour: started.Hour(), Outcome: kind, Intent: "track_order",
				Messages: 2, BotReplies: 2, BotReplyMS: 900, QueueWaitMS: -1, FirstReplyMS: -1, HandleMS: -1}
			o.ReplyBuckets[1] = 2
			var sat []store.Satisfaction
			if i%2 == 0 {
				o.SurveyAsked, o.Score = true, 3+(d+i)%3
				if i == 4 {
					o.Score, o.Comment = 1+d%2, comments[d%len(comments)]
				}
				sat = append(sat, store.Satisfaction{Score: o.Score, Comment: o.Comment, At: o.SettledAt})
			}
			if kind == "agent_resolved" {
				o.Handoffs, o.Queue, o.Agent, o.QueueWaitMS, o.HandleMS = 1, "general", "ann", 45_000, 240_000
			}
			tx, err := st.Begin(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(ctx, store.TurnRecord{ConversationID: id, Events: []store.Event{{Seq: 1, Type: "message_received", At: started, Data: []byte(`{}`)}},
				Outcomes: []store.Outcome{o}, Satisfaction: sat}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func getJSON(t *testing.T, url, key string, out any) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s: %v: %s", url, err, raw)
		}
	}
	return resp.StatusCode
}

// TestDashboardAndAudit: supervisors and admins read the dashboard and the
// audit trail; agents may not.
func TestDashboardAndAudit(t *testing.T) {
	st := memstore.New()
	e := newShopEngine(t, st, monday10)
	seedOutcomes(t, st, monday10)
	srv := NewServer(e, ServerConfig{Token: "admin-token", RouteEvery: -1})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	if _, err := e.Handle(context.Background(), engine.Message{ConversationID: "w1", Channel: "web", CustomerID: "zoe", Text: "talk to a human, my email is zoe@example.com"}); err != nil {
		t.Fatal(err)
	}
	agent := createAgentWithRole(t, ts.URL, "admin-token", "ann", "agent")
	super := createAgentWithRole(t, ts.URL, "admin-token", "sue", "supervisor")

	if code := getJSON(t, ts.URL+"/v1/dashboard", agent, nil); code != http.StatusForbidden {
		t.Errorf("agent: GET /v1/dashboard = %d, want 403", code)
	}
	if code := getJSON(t, ts.URL+"/v1/audit", agent, nil); code != http.StatusForbidden {
		t.Errorf("agent: GET /v1/audit = %d, want 403", code)
	}
	var d struct {
		Queues []queueNow      `json:"queues"`
		Agents map[string]int  `json:"agents"`
		Report json.RawMessage `json:"report"`
	}
	if code := getJSON(t, ts.URL+"/v1/dashboard", super, &d); code != http.StatusOK {
		t.Fatalf("supervisor: GET /v1/dashboard = %d", code)
	}
	waiting := 0
	for _, q := range d.Queues {
		waiting += q.Waiting
	}
	if waiting != 1 || d.Agents["offline"] != 2 || !strings.Contains(string(d.Report), `"today"`) {
		t.Errorf("dashboard: %d waiting, agents %v, report %s", waiting, d.Agents, d.Report)
	}

	// Each agent, with their status and the conversations they hold now.
	var h struct {
		Queues []struct {
			Handoffs []struct{ ID string } `json:"handoffs"`
		} `json:"queues"`
	}
	getJSON(t, ts.URL+"/v1/agent/queues", super, &h)
	for _, q := range h.Queues {
		for _, w := range q.Handoffs {
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/v1/agent/handoffs/"+w.ID+"/claim", nil)
			req.Header.Set("Authorization", "Bearer "+agent)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
	}
	var staff struct {
		Staff []staffNow `json:"staff"`
	}
	getJSON(t, ts.URL+"/v1/dashboard", super, &staff)
	want := []staffNow{{ID: "ann", Name: "Ann", Status: "offline", Chats: 1, MaxChats: 3}, {ID: "sue", Name: "Sue", Status: "offline", MaxChats: 3}}
	if diff := cmp.Diff(want, staff.Staff); diff != "" {
		t.Errorf("dashboard staff (-want +got):\n%s", diff)
	}

	var page struct {
		Entries   []auditEntry `json:"entries"`
		NextAfter *int64       `json:"next_after"`
	}
	if code := getJSON(t, ts.URL+"/v1/audit?limit=1&action=handoff.open", super, &page); code != http.StatusOK {
		t.Fatalf("GET /v1/audit = %d", code)
	}
	if len(page.Entries) != 1 || page.Entries[0].ConversationID != "w1" || page.NextAfter == nil {
		t.Fatalf("audit page = %+v", page)
	}
	if code := getJSON(t, fmt.Sprintf("%s/v1/audit?limit=1&action=handoff.open&after=%d", ts.URL, *page.NextAfter), super, &page); code != http.StatusOK || len(page.Entries) != 0 || page.NextAfter != nil {
		t.Errorf("second audit page = %d %+v, want empty and last", code, page)
	}
	var all struct {
		Entries []auditEntry `json:"entries"`
	}
	getJSON(t, ts.URL+"/v1/audit?conversation=w1", super, &all)
	for _, a := range all.Entries {
		if strings.Contains(string(a.Detail), "zoe@example.com") {
			t.Errorf("audit entry %s shows the customer's email: %s", a.Action, a.Detail)
		}
	}
	if code := getJSON(t, ts.URL+"/v1/audit?from=yesterday", super, nil); code != http.StatusBadRequest {
		t.Errorf("GET /v1/audit?from=yesterday = %d, want 400", code)
	}
}

// createAgentWithRole makes an agent with a role and returns their key.
func createAgentWithRole(t *testing.T, base, adminToken, id, role string) string {
	t.Helper()
	body := fmt.Sprintf(`{"id":%q,"name":%q,"role":%q,"skills":["customer_service"]}`, id, strings.ToUpper(id[:1])+id[1:], role)
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/admin/agents", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Key string `json:"key"`
	}
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(raw, &out) != nil || out.Key == "" {
		t.Fatalf("create %s: %d %s", id, resp.StatusCode, raw)
	}
	return out.Key
}

// TestDashboardBrowser opens the dashboard in headless Chromium, as a
// supervisor, at 1280 and at 800 pixels wide.
func TestDashboardBrowser(t *testing.T) {
	chrome := findChromium(t)
	st := memstore.New()
	start := time.Now()
	e, err := engine.New(context.Background(), loadShop(t), engine.Options{
		Store: st, Clock: func() time.Time { return monday10.Add(time.Since(start)) },
		Sleep: func(context.Context, time.Duration) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	seedOutcomes(t, st, monday10)
	for i, text := range []string{"I want to talk to a human", "this is useless, let me speak to an agent", "talk to a person please"} {
		if _, err := e.Handle(context.Background(), engine.Message{ConversationID: fmt.Sprintf("live-%d", i), Channel: "web", CustomerID: fmt.Sprintf("live-%d", i), Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	srv := NewServer(e, ServerConfig{Token: "admin-token", RouteEvery: -1, RateLimit: 1000, RateBurst: 1000})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		_ = srv.Close(context.Background())
		ts.Close()
	})
	super := createAgentWithRole(t, ts.URL, "admin-token", "sue", "supervisor")
	agent := createAgentWithRole(t, ts.URL, "admin-token", "ann", "agent")

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("force-prefers-reduced-motion", true), chromedp.WindowSize(1280, 900))...)
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatal(err)
	}
	tab := func(name string, actions ...chromedp.Action[chromedp.Void]) *browserTab {
		ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatal(err)
		}
		return &browserTab{name: name, ctx: ctx}
	}
	signIn := func(b *browserTab, key string) {
		b.do(t, chromedp.Navigate(ts.URL+"/console"), chromedp.WaitVisible(chromedp.CSS("#api-key")),
			chromedp.SendKeys(chromedp.CSS("#api-key"), key+kb.Enter), chromedp.WaitVisible(chromedp.CSS("#me")))
	}

	// An agent has no dashboard.
	a := tab("agent")
	signIn(a, agent)
	a.waitText(t, "#me", "agent")
	if hidden := a.eval(t, `document.getElementById("dashboard-toggle").hidden`); hidden != true {
		t.Error("an agent sees the dashboard button")
	}

	wide := tab("dashboard")
	signIn(wide, super)
	wide.do(t, chromedp.WaitVisible(chromedp.CSS("#dashboard-toggle")), chromedp.Click(chromedp.CSS("#dashboard-toggle")))
	wide.waitText(t, ".dash-tile .dash-value", "3") // three customers waiting
	wide.waitText(t, ".dash-kpi .dash-label", "Automatic resolution")
	wide.waitText(t, ".dash-staff tr", "Ann")
	wide.waitText(t, ".dash-staff tr", "0 / 3")
	wide.waitText(t, ".dash-themes li", "wait")
	wide.countText(t, ".dash-chart circle", "", 14)
	if w := wide.eval(t, `document.documentElement.scrollWidth`); w.(float64) > 1280 {
		t.Errorf("dashboard is %v px wide at 1280", w)
	}

	narrow := tab("dashboard-800", chromedp.EmulateViewport(800, 1000))
	signIn(narrow, super)
	narrow.do(t, chromedp.WaitVisible(chromedp.CSS("#dashboard-toggle")), chromedp.Click(chromedp.CSS("#dashboard-toggle")))
	narrow.waitText(t, ".dash-kpi .dash-label", "Satisfaction")
	if w := narrow.eval(t, `Math.max(document.documentElement.scrollWidth, document.getElementById("dashboard").scrollWidth)`); w.(float64) > 800 {
		t.Errorf("dashboard is %v px wide at 800", w)
	}
	// Back to the conversations.
	narrow.do(t, chromedp.Click(chromedp.CSS("#dashboard-toggle")))
	if vis := narrow.eval(t, `!document.getElementById("dashboard").hidden`); vis != false {
		t.Error("the dashboard did not close")
	}
	narrow.do(t, chromedp.Click(chromedp.CSS("#dashboard-toggle")))
	narrow.waitText(t, ".dash-kpi .dash-label", "Satisfaction")

	// The dashboard takes the place of whichever view was open, and a view's
	// tab brings that view back: the two never show on top of each other.
	shown := func(b *browserTab, id string) bool {
		return b.eval(t, `(() => { const e = document.getElementById("`+id+`"); return !e.hidden && getComputedStyle(e).display !== "none" })()`) == true
	}
	narrow.do(t, chromedp.Click(chromedp.CSS(`#views [data-view="tickets"]`)))
	if shown(narrow, "dashboard") || !shown(narrow, "tickets-view") {
		t.Errorf("the Tickets tab with the dashboard open: dashboard shown %v, tickets shown %v", shown(narrow, "dashboard"), shown(narrow, "tickets-view"))
	}
	narrow.do(t, chromedp.Click(chromedp.CSS("#dashboard-toggle")))
	narrow.waitText(t, ".dash-kpi .dash-label", "Satisfaction")
	if shown(narrow, "tickets-view") {
		t.Error("the tickets view shows under the dashboard")
	}
	narrow.do(t, chromedp.Click(chromedp.CSS("#dashboard-toggle")))
	if !shown(narrow, "tickets-view") {
		t.Error("closing the dashboard did not go back to the tickets view")
	}
	narrow.do(t, chromedp.Click(chromedp.CSS("#dashboard-toggle")))
	narrow.waitText(t, ".dash-kpi .dash-label", "Satisfaction")

	dir := t.TempDir()
	if *update {
		dir = filepath.Join("web", "testdata", "screenshots")
	}
	wide.screenshot(t, filepath.Join(dir, "dashboard.png"))
	narrow.screenshot(t, filepath.Join(dir, "dashboard-800.png"))
	if _, err := os.Stat(filepath.Join(dir, "dashboard.png")); err != nil {
		t.Error(err)
	}

	// A manager downloads the report of a period, as a file named after it.
	wide.waitJS(t, `document.getElementById("r-to").value === "2026-11-23"`) // Monday in Shanghai
	wide.waitJS(t, `document.getElementById("r-from").value === "2026-11-17"`)
	wide.eval(t, `window.downloads = []; window.blobs = []; const made = URL.createObjectURL;
		URL.createObjectURL = (b) => { window.blobs.push(b); return made(b) };
		HTMLAnchorElement.prototype.click = function () { window.downloads.push({name: this.download, href: this.href}) }; 1`)
	wide.do(t, chromedp.Click(chromedp.CSS(`#dash-reports [data-format="csv"]`)))
	wide.waitJS(t, `window.downloads.length === 1`)
	if name := wide.eval(t, `window.downloads[0].name`); name != "shop-report-2026-11-17-2026-11-23.csv" {
		t.Errorf("the CSV downloads as %v", name)
	}
	csv, err := chromedp.Run(wide.ctx, chromedp.Evaluate[string](`window.blobs[0].text()`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.Contains(csv, "containment_rate") {
		t.Errorf("the CSV: %v %.200s", err, csv)
	}
	wide.eval(t, `(() => { const f = document.getElementById("r-from"); f.value = "2026-11-30"; f.dispatchEvent(new Event("change", {bubbles: true})); return 1 })()`)
	wide.do(t, chromedp.Click(chromedp.CSS(`#dash-reports [data-format="html"]`)))
	wide.waitText(t, "#r-error", "first day comes after the last")
}
