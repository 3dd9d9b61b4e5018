package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/connectors/fixture"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// downDriver opens fixture connectors whose health check fails, like a backend
// that is down.
type downDriver struct{ fixture.Driver }

func (d downDriver) Open(cfg connectors.Config) (connectors.Connector, error) {
	c, err := d.Driver.Open(cfg)
	if err != nil {
		return nil, err
	}
	return downConnector{c}, nil
}

type downConnector struct{ connectors.Connector }

func (downConnector) Health(context.Context) error { return errors.New("dial tcp: connection refused") }

func getOpsJSON(t *testing.T, url string, out any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("GET %s: decode: %v", url, err)
	}
	return resp.StatusCode
}

// downBot calls a connector whose system is down.
const downBot = `
bot "down" {
  languages = ["en"]
}

intent "go" {
  examples = ["go", "start", "begin", "go now", "let's go"]
}

connector "sys" {
  type = "hooked"
  operation "pay" {
    respond = { ok = true }
  }
}

dialog "pay" {
  trigger = [intent.go]
  call "pay" {
    operation = connector.sys.pay
    input     = {}
  }
  outcome "done" {
    reply = "paid"
  }
}
`

func TestOpsHealthAndReadiness(t *testing.T) {
	reg := connectors.Default.Clone()
	reg.Register("hooked", downDriver{})
	bot := enginetest.LoadSource(t, downBot, reg)
	st := memstore.New()
	e, err := engine.New(context.Background(), bot, engine.Options{Store: st, Connectors: reg})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	s := NewServer(e, ServerConfig{RouteEvery: -1})
	defer func() { _ = s.Close(context.Background()) }()
	srv := httptest.NewServer(s)
	defer srv.Close()

	var health map[string]any
	if code := getOpsJSON(t, srv.URL+"/healthz", &health); code != http.StatusOK || health["status"] != "ok" {
		t.Errorf("/healthz = %d %v", code, health)
	}

	// A backend being down is reported but keeps the bot ready: its policies
	// tell customers what to do then.
	var ready readiness
	code := getOpsJSON(t, srv.URL+"/readyz", &ready)
	want := readiness{
		Status: "ready", Bot: "down",
		Connectors: []engine.ConnectorHealth{{Name: "sys", Type: "hooked", Circuit: "closed", Error: "dial tcp: connection refused"}},
	}
	if code != http.StatusOK {
		t.Errorf("/readyz with a connector down = %d, want 200", code)
	}
	if diff := cmp.Diff(want, ready); diff != "" {
		t.Errorf("/readyz (-want +got):\n%s", diff)
	}

	// The store going away makes the bot unready.
	st.Close()
	ready = readiness{}
	code = getOpsJSON(t, srv.URL+"/readyz", &ready)
	want.Status = "unavailable"
	want.Reasons = []string{"store: store closed"}
	want.Error = &apiError{Code: "unavailable", Message: "store: store closed"}
	if code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the store closed = %d, want 503", code)
	}
	if diff := cmp.Diff(want, ready); diff != "" {
		t.Errorf("/readyz (-want +got):\n%s", diff)
	}

	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `parley_http_requests_total{route="/readyz",code="503"} 1`) {
		t.Errorf("/metrics = %d:\n%s", resp.StatusCode, body)
	}
}

// manualClock is advanced by hand, so bucket refills need no sleeping.
type manualClock struct{ t time.Time }

func (c *manualClock) now() time.Time          { return c.t }
func (c *manualClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestRateLimitTokenBucket(t *testing.T) {
	clock := &manualClock{t: time.Unix(1_700_000_000, 0)}
	l := newRateLimiter(2, 4, clock.now) // 2 per second, bursts of 4
	var got []string
	step := func(label string, key string, d time.Duration) {
		clock.advance(d)
		ok, wait := l.allow(key)
		got = append(got, fmt.Sprintf("%s %v %v", label, ok, wait))
	}
	for i := range 5 {
		step(fmt.Sprint("burst", i), "a", 0)
	}
	step("other client", "b", 0)
	step("after 250ms", "a", 250*time.Millisecond)
	step("after 500ms", "a", 250*time.Millisecond)
	step("again", "a", 0)
	want := []string{
		"burst0 true 0s", "burst1 true 0s", "burst2 true 0s", "burst3 true 0s", "burst4 false 500ms",
		"other client true 0s",
		"after 250ms false 250ms",
		"after 500ms true 0s",
		"again false 500ms",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Buckets of clients gone quiet are dropped, so memory follows the clients
// active now rather than every client ever seen.
func TestRateLimitEvictsIdleBuckets(t *testing.T) {
	clock := &manualClock{t: time.Unix(1_700_000_000, 0)}
	l := newRateLimiter(20, 40, clock.now) // a bucket refills in 2s
	for i := range 1000 {
		l.allow(fmt.Sprintf("ip:10.0.%d.%d", i/256, i%256))
	}
	if n := l.size(); n != 1000 {
		t.Fatalf("%d buckets after 1000 clients, want 1000", n)
	}
	clock.advance(time.Second)
	l.allow("ip:192.0.2.1")
	if n := l.size(); n != 1001 {
		t.Errorf("%d buckets before the idle time, want 1001", n)
	}
	clock.advance(1500 * time.Millisecond)
	l.allow("ip:192.0.2.2")
	if n := l.size(); n != 2 {
		t.Errorf("%d buckets after the first clients went idle, want 2 (the recent ones)", n)
	}
}

func TestRateLimitBoundsBuckets(t *testing.T) {
	clock := &manualClock{t: time.Unix(1_700_000_000, 0)}
	l := newRateLimiter(1, 1, clock.now)
	for i := range maxBuckets + 50 {
		l.allow(fmt.Sprint("k:", i))
	}
	if n := l.size(); n > maxBuckets+1 {
		t.Errorf("%d buckets, want at most %d", n, maxBuckets+1)
	}
	// Past the bound, new clients share one bucket rather than go unlimited.
	if ok, _ := l.allow("k:new"); ok {
		t.Error("a new client past the bound got a fresh bucket")
	}
}

func TestRateLimitMiddleware(t *testing.T) {
	clock := &manualClock{t: time.Unix(1_700_000_000, 0)}
	e := echo.New()
	e.Use(newRateLimiter(1, 2, clock.now).middleware(clientKey))
	e.GET("/v1/x", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
	srv := httptest.NewServer(e)
	defer srv.Close()

	type result struct {
		Code       int
		RetryAfter string
		Body       string
	}
	do := func(auth string) result {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/x", nil)
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return result{resp.StatusCode, resp.Header.Get("Retry-After"), strings.TrimSpace(string(body))}
	}
	limited := result{429, "1", `{"error":{"code":"rate_limited","message":"too many requests: at most 1 per second; retry in 1 s"}}`}
	got := []result{do(""), do(""), do(""), do("tok-1"), do("tok-1"), do("tok-1")}
	want := []result{{Code: 204}, {Code: 204}, limited, {Code: 204}, {Code: 204}, limited}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRateLimitOff(t *testing.T) {
	e := echo.New()
	e.Use(rateLimit(-1, 0, clientKey))
	e.GET("/", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
	for range 100 {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		if rec.Code != http.StatusNoContent {
			t.Fatalf("status %d with limiting off", rec.Code)
		}
	}
}

func TestOpsRequestLog(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := echo.New()
	e.HTTPErrorHandler = writeError
	e.Use(requestLog(logger))
	e.POST("/v1/customers/:id/identities", func(c echo.Context) error {
		return fmt.Errorf("%w: bad channel", engine.ErrInvalidInput)
	})
	e.GET("/v1/conversations/:id/ws", func(c echo.Context) error {
		if RequestID(c) == "" {
			t.Error("no request id in the context")
		}
		return c.NoContent(http.StatusOK)
	})
	srv := httptest.NewServer(e)
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/customers/13812345678/identities?email=ann@example.com", strings.NewReader(`{"external_id":"ann@example.com"}`))
	req.Header.Set("X-Request-Id", "req-42")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-Id"); got != "req-42" {
		t.Errorf("X-Request-Id echoed = %q, want req-42", got)
	}
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/v1/conversations/c1/ws?token=secret-token", nil)
	req.Header.Set("X-Request-Id", "bad id \"forged\"=1")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	generated := resp.Header.Get("X-Request-Id")
	if !validRequestID(generated) || generated == "bad id \"forged\"=1" {
		t.Errorf("X-Request-Id = %q, want a generated id in place of the bad one", generated)
	}

	var got []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("decode %q: %v", line, err)
		}
		delete(m, "time")
		if _, ok := m["duration"].(float64); !ok {
			t.Errorf("no duration in %v", m)
		}
		delete(m, "duration")
		got = append(got, m)
	}
	want := []map[string]any{{
		"level": "WARN", "msg": "http request", "request_id": "req-42", "method": "POST",
		"route": "/v1/customers/:id/identities", "path": "/v1/customers/138****5678/identities",
		"status": float64(400), "bytes": got[0]["bytes"],
	}, {
		"level": "DEBUG", "msg": "http request", "request_id": generated, "method": "GET", // a successful read
		"route": "/v1/conversations/:id/ws", "path": "/v1/conversations/c1/ws",
		"status": float64(200), "bytes": float64(0),
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("access log (-want +got):\n%s", diff)
	}
	for _, secret := range []string{"ann@", "secret-token", "13812345678", "external_id"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("access log holds %q:\n%s", secret, buf.String())
		}
	}
}
