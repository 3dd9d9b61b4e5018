package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parleyhq/parley/engine/store/memstore"
)

// browserStepTimeout bounds one step (a reply appearing, a page loading), so a
// broken page fails with the step's name instead of hanging the test run.
const browserStepTimeout = 20 * time.Second

// findChromium returns a Chromium/Chrome binary. CI installs Debian's
// chromium, so there a missing browser is a failure, not a skip.
func findChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("PARLEY_CHROME"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("browser tests need Chromium: apt-get install -y chromium (or set PARLEY_CHROME to a Chrome binary)")
	}
	t.Skip("Chromium not found; install it (apt-get install -y chromium) or set PARLEY_CHROME to run the browser tests")
	return ""
}

// TestBrowser drives the web chat and the agent console in headless Chromium
// against the real server: shop bot, in-memory store, HTTP and WebSockets.
func TestBrowser(t *testing.T) {
	chrome := findChromium(t)

	start := time.Now()
	e, err := engine.New(context.Background(), loadShop(t), engine.Options{
		Store: memstore.New(),
		// Real time passing from Monday 10:00, inside business hours: the
		// pages' timers and the server's clock must agree.
		Clock: func() time.Time { return monday10.Add(time.Since(start)) },
		Sleep: func(context.Context, time.Duration) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	const adminToken = "browser-test-admin"
	srv := NewServer(e, ServerConfig{Token: adminToken, RouteEvery: -1, RateLimit: 1000, RateBurst: 1000})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		_ = srv.Close(context.Background())
		ts.Close()
	})
	agentKey := createBrowserAgent(t, ts.URL, adminToken)

	tab := startBrowser(t, chrome, 1280, 900)
	phone := chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)
	chat := tab("chat", phone)
	chatZH := tab("chat-zh", phone, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		// navigator.language follows the emulated Accept-Language.
		_, err := cdp.Call(ctx, t, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
			UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140 Parley-Test", AcceptLanguage: "zh-CN",
		})
		return err
	}))
	console := tab("console")
	tabs := []*browserTab{chat, chatZH, console}
	t.Cleanup(func() {
		if t.Failed() {
			dir, err := os.MkdirTemp("", "parley-browser-")
			if err != nil {
				t.Logf("screenshots: %v", err)
				return
			}
			for _, bt := range tabs {
				bt.screenshot(t, filepath.Join(dir, bt.name+".png"))
			}
			t.Logf("screenshots of the failure are in %s", dir)
		}
	})

	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"chat loads with a prompt", func(t *testing.T) {
			chat.do(t, chromedp.Navigate(ts.URL+"/"))
			chat.waitText(t, "li.msg.bot .bubble", "How can we help")
			chat.do(t, chromedp.WaitVisible(chromedp.CSS("#message")))
		}},
		{"order status", func(t *testing.T) {
			chat.send(t, "where is my order AB123456")
			chat.waitText(t, "li.msg.customer .bubble", "where is my order AB123456")
			chat.waitText(t, "li.msg.bot .bubble", "Order AB123456 has shipped with SF Express")
		}},
		{"quick replies", func(t *testing.T) {
			chat.send(t, "blorp zzxq frobnicate")
			chat.waitText(t, ".quick-replies button", "Track an order")
			chat.eval(t, `[...document.querySelectorAll(".quick-replies button")].find(b => b.textContent === "Track an order").click()`)
			chat.waitText(t, "li.msg.customer .bubble", "Track an order")
			chat.waitText(t, "li.msg.bot .bubble", "What's your order number?")
			// Replies come twice (HTTP answer and WebSocket item); each is shown once.
			chat.countText(t, "li.msg.bot .bubble", "Order AB123456 has shipped", 1)
			chat.countText(t, "li.msg.customer .bubble", "where is my order AB123456", 1)
			chat.countText(t, "li.msg.bot .bubble", "What's your order number?", 1)
		}},
		{"chinese", func(t *testing.T) {
			chatZH.do(t, chromedp.Navigate(ts.URL+"/"))
			chatZH.waitText(t, "li.msg.bot .bubble", "您好")
			chatZH.send(t, "我的订单AB123456在哪里")
			chatZH.waitText(t, "li.msg.customer .bubble", "我的订单AB123456在哪里")
			chatZH.waitText(t, "li.msg.bot .bubble", "订单 AB123456")
			if lang := chatZH.eval(t, `document.documentElement.lang`); lang != "zh-CN" {
				t.Errorf("html lang = %v, want zh-CN", lang)
			}
		}},
		{"reload keeps the conversation", func(t *testing.T) {
			chat.do(t, chromedp.Reload())
			chat.waitText(t, "li.msg.customer .bubble", "where is my order AB123456")
			chat.waitText(t, "li.msg.bot .bubble", "Order AB123456 has shipped")
			chat.send(t, "CD654321")
			chat.waitText(t, "li.msg.bot .bubble", "CD654321")
		}},
		{"handoff to an agent", func(t *testing.T) {
			chat.send(t, "I want to talk to a human")
			chat.waitText(t, "li.msg.bot .bubble, li.banner", "one of our team")

			console.do(t, chromedp.Navigate(ts.URL+"/console"),
				chromedp.WaitVisible(chromedp.CSS("#api-key")),
				chromedp.SendKeys(chromedp.CSS("#api-key"), agentKey+kb.Enter))
			console.waitText(t, "#me", "Ann")
			console.waitText(t, ".queue .item button.claim", "Claim")
			console.click(t, ".queue .item button.claim")
			console.do(t, chromedp.WaitVisible(chromedp.CSS("#reply-text")))
			console.waitText(t, "#transcript .t.customer .text", "I want to talk to a human")
			console.do(t, chromedp.SendKeys(chromedp.CSS("#reply-text"), "Hi, this is Ann"),
				chromedp.Click(chromedp.CSS("#reply")))
			console.waitText(t, "#transcript .t.agent .text", "Hi, this is Ann")

			// The customer sees it live, over the WebSocket, without a reload.
			chat.waitText(t, "li.banner.joined", "Ann (agent) has joined")
			chat.waitText(t, "li.msg.agent .bubble", "Hi, this is Ann")
			chat.waitText(t, "#who", "Ann")

			console.do(t, chromedp.SendKeys(chromedp.CSS("#reply-text"), "VIP, be nice"),
				chromedp.Click(chromedp.CSS("#note")))
			console.waitText(t, "#transcript .t.note .text", "VIP, be nice")
		}},
		{"close sends the survey", func(t *testing.T) {
			console.do(t, chromedp.Click(chromedp.CSS("#close")))
			chat.waitText(t, ".survey button.score", "5")
			if notes := chat.eval(t, `document.body.textContent.includes("VIP, be nice")`); notes != false {
				t.Error("the customer sees the agent's internal note")
			}
			chat.do(t, chromedp.Click(chromedp.CSS(`.survey button[data-score="5"]`)))
			chat.waitText(t, ".survey .rated", "5 out of 5")
			chat.waitText(t, "li.msg.bot .bubble", "Thank you")
		}},
	}
	for _, step := range steps {
		if !t.Run(step.name, step.run) {
			t.Fatalf("step %q failed; later steps depend on it", step.name)
		}
	}

	if *update {
		dir := filepath.Join("web", "testdata", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, bt := range tabs {
			bt.screenshot(t, filepath.Join(dir, bt.name+".png"))
		}
	}
}

// startBrowser starts headless Chromium with a window of width × height and
// returns how to open tabs in it. Each tab gets its own browser context: its
// own storage, like separate people on separate machines.
func startBrowser(t *testing.T, chrome string, width, height int) func(name string, actions ...chromedp.Action[chromedp.Void]) *browserTab {
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox, // containers run as root, where Chromium's sandbox cannot start
		chromedp.Flag("disable-dev-shm-usage", true),
		// No smooth scrolling: a click must land where the element is, not where it was.
		chromedp.Flag("force-prefers-reduced-motion", true),
		chromedp.WindowSize(width, height),
	)...)
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start Chromium %s: %v", chrome, err)
	}
	return func(name string, actions ...chromedp.Action[chromedp.Void]) *browserTab {
		ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		bt := &browserTab{name: name, ctx: ctx}
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("open %s tab: %v", name, err)
		}
		return bt
	}
}

type browserTab struct {
	name string
	ctx  context.Context
}

func (b *browserTab) do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s tab: %v%s", b.name, err, b.consoleHint(t))
	}
}

// click clicks what sel finds, as a person would. A list that a live update
// redraws between finding the node and clicking it leaves a stale node
// (CDP's "Could not find node with given id"): find it again, as a person
// would click the row again.
func (b *browserTab) click(t *testing.T, sel string) {
	t.Helper()
	var err error
	for range 3 {
		ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
		err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel)))
		cancel()
		if err == nil || !strings.Contains(err.Error(), "Could not find node") {
			break
		}
	}
	if err != nil {
		t.Fatalf("%s tab: click %s: %v%s", b.name, sel, err, b.consoleHint(t))
	}
}

func (b *browserTab) eval(t *testing.T, js string) any {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
	if err != nil {
		t.Fatalf("%s tab: %s: %v", b.name, js, err)
	}
	return out
}

// send types a message and presses Enter, as a customer would.
func (b *browserTab) send(t *testing.T, text string) {
	t.Helper()
	b.do(t, chromedp.WaitVisible(chromedp.CSS("#message")),
		chromedp.SendKeys(chromedp.CSS("#message"), text),
		chromedp.SendKeys(chromedp.CSS("#message"), kb.Enter))
}

// waitText waits until an element matching selector contains text.
func (b *browserTab) waitText(t *testing.T, selector, text string) {
	t.Helper()
	sel, _ := json.Marshal(selector)
	want, _ := json.Marshal(text)
	js := fmt.Sprintf(`[...document.querySelectorAll(%s)].some(e => e.textContent.includes(%s))`, sel, want)
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		t.Fatalf("%s tab: no %s containing %q: %v%s", b.name, selector, text, err, b.consoleHint(t))
	}
}

// countText checks how many elements matching selector contain text.
func (b *browserTab) countText(t *testing.T, selector, text string, want int) {
	t.Helper()
	sel, _ := json.Marshal(selector)
	needle, _ := json.Marshal(text)
	got := b.eval(t, fmt.Sprintf(`[...document.querySelectorAll(%s)].filter(e => e.textContent.includes(%s)).length`, sel, needle))
	if n, ok := got.(float64); !ok || int(n) != want {
		t.Errorf("%s tab: %v elements %s contain %q, want %d", b.name, got, selector, text, want)
	}
}

// consoleHint shows what the page shows, to make a failure readable.
func (b *browserTab) consoleHint(t *testing.T) string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(-1500) : ""`))
	if err != nil {
		return ""
	}
	return "\npage text (end):\n" + text
}

func (b *browserTab) screenshot(t *testing.T, path string) {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()) // the viewport, as a person sees it
	if err != nil {
		t.Logf("screenshot of %s: %v", b.name, err)
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Logf("screenshot of %s: %v", b.name, err)
	}
}

// apiCaller calls the server's API at base with a key, as an integration
// would, for a browser test's setup; an error status fails the test.
func apiCaller(t *testing.T, base string) func(method, path, key string, body any) map[string]any {
	return func(method, path, key string, body any) map[string]any {
		t.Helper()
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(raw))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out := map[string]any{}
		b, _ := io.ReadAll(resp.Body)
		_ = json.Unmarshal(b, &out)
		if resp.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		return out
	}
}

// createBrowserAgent makes agent Ann (general queue's skill) and returns her key.
func createBrowserAgent(t *testing.T, base, adminToken string) string {
	t.Helper()
	body := `{"id":"ann","name":"Ann","role":"agent","skills":["customer_service"]}`
	req, err := http.NewRequest(http.MethodPost, base+"/v1/admin/agents", bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /v1/admin/agents: %d %s", resp.StatusCode, raw)
	}
	var out struct {
		Key string `json:"key"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || out.Key == "" {
		t.Fatalf("POST /v1/admin/agents: no key in %s", raw)
	}
	return out.Key
}
