package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/policies"
)

// The web chat's own labels (placeholder, send button, survey) are in the
// conversation's language: the browser's is the first guess when the bot
// speaks it, the bot's default when it does not, and once the customer
// writes, the language they write in, whatever the browser says.
func TestBrowserChatLabelsFollowTheConversation(t *testing.T) {
	chrome := findChromium(t)
	serve := func(bot *policies.Bot) (url, adminToken string) {
		start := time.Now()
		e, err := engine.New(context.Background(), bot, engine.Options{
			Store: memstore.New(),
			Clock: func() time.Time { return monday10.Add(time.Since(start)) },
			Sleep: func(context.Context, time.Duration) error { return nil },
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		adminToken = "chat-language-admin"
		srv := NewServer(e, ServerConfig{Token: adminToken, RouteEvery: -1, RateLimit: 1000, RateBurst: 1000})
		ts := httptest.NewServer(srv)
		t.Cleanup(func() {
			_ = srv.Close(context.Background())
			ts.Close()
		})
		return ts.URL, adminToken
	}
	shopURL, admin := serve(loadShop(t))
	englishOnly := *loadShop(t)
	englishOnly.Languages = []string{"en"}
	englishURL, _ := serve(&englishOnly)

	tab := startBrowser(t, chrome, 1280, 900)
	browserIn := func(name, acceptLanguage string) *browserTab {
		return tab(name, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
				UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140 Parley-Test", AcceptLanguage: acceptLanguage,
			})
			return err
		}))
	}
	labels := func(t *testing.T, b *browserTab, placeholder, send, htmlLang string) {
		t.Helper()
		js := `document.getElementById("message").placeholder + "|" + document.getElementById("send").getAttribute("aria-label") + "|" + document.documentElement.lang`
		want := placeholder + "|" + send + "|" + htmlLang
		deadline := time.Now().Add(browserStepTimeout)
		for {
			got, _ := b.eval(t, js).(string)
			if got == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s tab: labels %q, want %q", b.name, got, want)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	const (
		enPlaceholder = "Type a message…"
		zhPlaceholder = "请输入消息…"
	)

	t.Run("a Chinese browser, an English conversation", func(t *testing.T) {
		zh := browserIn("chat-zh-browser", "zh-CN")
		zh.do(t, chromedp.Navigate(shopURL+"/"))
		zh.waitText(t, "li.msg.bot .bubble", "您好")
		labels(t, zh, zhPlaceholder, "发送", "zh-CN") // the bot speaks Chinese: the browser's guess holds
		zh.send(t, "where is my order AB123456")
		zh.waitText(t, "li.msg.bot .bubble", "Order AB123456 has shipped")
		labels(t, zh, enPlaceholder, "Send", "en")
		zh.do(t, chromedp.Reload())
		zh.waitText(t, "li.msg.bot .bubble", "Order AB123456 has shipped")
		labels(t, zh, enPlaceholder, "Send", "en")

		// The survey after an agent closes the chat asks in English too.
		zh.send(t, "I want to talk to a human")
		zh.waitText(t, "li.msg.bot .bubble, li.banner", "one of our team")
		key := createBrowserAgent(t, shopURL, admin)
		var list struct {
			Handoffs []struct {
				ID string `json:"id"`
			} `json:"handoffs"`
		}
		if code := getJSON(t, shopURL+"/v1/agent/handoffs", key, &list); code != http.StatusOK || len(list.Handoffs) != 1 {
			t.Fatalf("GET handoffs: %d %+v", code, list)
		}
		for _, action := range []string{"claim", "close"} {
			req, _ := http.NewRequest(http.MethodPost, shopURL+"/v1/agent/handoffs/"+list.Handoffs[0].ID+"/"+action, bytes.NewReader([]byte(`{}`)))
			req.Header.Set("Authorization", "Bearer "+key)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body json.RawMessage
			_ = json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d %s", action, resp.StatusCode, body)
			}
		}
		zh.waitText(t, ".survey", "Anything you'd like to add?")
	})

	t.Run("an English browser, a Chinese conversation", func(t *testing.T) {
		en := browserIn("chat-en-browser", "en-US")
		en.do(t, chromedp.Navigate(shopURL+"/"))
		en.waitText(t, "li.msg.bot .bubble", "How can we help")
		labels(t, en, enPlaceholder, "Send", "en")
		en.send(t, "我的订单AB123456在哪里")
		en.waitText(t, "li.msg.bot .bubble", "订单 AB123456")
		labels(t, en, zhPlaceholder, "发送", "zh-CN")
	})

	t.Run("a Chinese browser, a bot that speaks only English", func(t *testing.T) {
		zh := browserIn("chat-zh-english-bot", "zh-CN")
		zh.do(t, chromedp.Navigate(englishURL+"/"))
		zh.waitText(t, "li.msg.bot .bubble", "How can we help")
		labels(t, zh, enPlaceholder, "Send", "en")
	})
}
