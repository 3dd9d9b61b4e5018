package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"
)

// scrape returns the exposition lines whose metric name starts with one of prefixes.
func scrapeMetrics(t *testing.T, h http.Handler, prefixes ...string) []string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if ct := rec.Header().Get("Content-Type"); ct != "text/plain; version=0.0.4; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	var out []string
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		for _, p := range prefixes {
			if strings.HasPrefix(line, p) {
				out = append(out, line)
				break
			}
		}
	}
	return out
}

func TestMetricsTurnsAndConnectors(t *testing.T) {
	m := NewMetrics()
	m.SetVersion("1.2.3")
	turns := []struct {
		took time.Duration
		res  *engine.TurnResult
		err  error
	}{
		{2 * time.Millisecond, &engine.TurnResult{Intent: "track_order"}, nil},
		{20 * time.Millisecond, &engine.TurnResult{Intent: "track_order", Handoff: &engine.HandoffInfo{Queue: "orders"}}, nil},
		{time.Second, &engine.TurnResult{Knowledge: "returns.md#refunds"}, nil},             // understood through the knowledge base
		{time.Millisecond, &engine.TurnResult{Unanswered: true}, nil},                       // a fallback and a miss
		{time.Millisecond, &engine.TurnResult{}, nil},                                       // a fallback without a search
		{time.Millisecond, &engine.TurnResult{Intent: "track_order", Duplicate: true}, nil}, // counted once, as duplicate
		{20 * time.Second, nil, errors.New("store down")},
	}
	for _, tc := range turns {
		m.TurnDone(tc.took, tc.res, tc.err)
	}
	m.ConnectorCalled("orders", "get_order", "ok", 30*time.Millisecond, 1)
	m.ConnectorCalled("orders", "get_order", "timeout", 3*time.Second, 3)
	m.WSOpened()
	m.WSOpened()
	m.WSClosed()

	got := scrapeMetrics(t, m.Handler(),
		"parley_build_info", "parley_turns_total", "parley_intents_total", "parley_fallbacks_total",
		"parley_handoffs_total", "parley_knowledge_searches_total", "parley_connector_calls_total",
		"parley_websocket_connections", "parley_turn_duration_seconds", `parley_connector_call_duration_seconds_count`,
		`parley_connector_call_duration_seconds_bucket{connector="orders",le="0.05"}`)
	want := []string{
		`parley_build_info{version="1.2.3"} 1`,
		`parley_turn_duration_seconds_bucket{le="0.001"} 3`,
		`parley_turn_duration_seconds_bucket{le="0.0025"} 4`,
		`parley_turn_duration_seconds_bucket{le="0.005"} 4`,
		`parley_turn_duration_seconds_bucket{le="0.01"} 4`,
		`parley_turn_duration_seconds_bucket{le="0.025"} 5`,
		`parley_turn_duration_seconds_bucket{le="0.05"} 5`,
		`parley_turn_duration_seconds_bucket{le="0.1"} 5`,
		`parley_turn_duration_seconds_bucket{le="0.25"} 5`,
		`parley_turn_duration_seconds_bucket{le="0.5"} 5`,
		`parley_turn_duration_seconds_bucket{le="1"} 6`,
		`parley_turn_duration_seconds_bucket{le="2.5"} 6`,
		`parley_turn_duration_seconds_bucket{le="5"} 6`,
		`parley_turn_duration_seconds_bucket{le="10"} 6`,
		`parley_turn_duration_seconds_bucket{le="+Inf"} 7`,
		`parley_turn_duration_seconds_sum 21.025`,
		`parley_turn_duration_seconds_count 7`,
		`parley_turns_total{outcome="ok"} 5`,
		`parley_turns_total{outcome="error"} 1`,
		`parley_turns_total{outcome="duplicate"} 1`,
		`parley_intents_total{intent="none"} 3`,
		`parley_intents_total{intent="track_order"} 2`,
		`parley_fallbacks_total 2`,
		`parley_handoffs_total{queue="orders"} 1`,
		`parley_knowledge_searches_total{result="hit"} 1`,
		`parley_knowledge_searches_total{result="miss"} 1`,
		`parley_connector_calls_total{connector="orders",operation="get_order",outcome="ok"} 1`,
		`parley_connector_calls_total{connector="orders",operation="get_order",outcome="timeout"} 1`,
		`parley_connector_call_duration_seconds_bucket{connector="orders",le="0.05"} 1`,
		`parley_connector_call_duration_seconds_count{connector="orders"} 2`,
		`parley_websocket_connections 1`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
}

// Every family has HELP and TYPE lines, once, before its samples.
func TestMetricsExpositionHeaders(t *testing.T) {
	m := NewMetrics()
	m.TurnDone(time.Millisecond, &engine.TurnResult{Intent: "greet"}, nil)
	got := scrapeMetrics(t, m.Handler(), "# TYPE")
	want := []string{
		"# TYPE parley_build_info gauge",
		"# TYPE parley_turn_duration_seconds histogram",
		"# TYPE parley_turns_total counter",
		"# TYPE parley_intents_total counter",
		"# TYPE parley_fallbacks_total counter",
		"# TYPE parley_handoffs_total counter",
		"# TYPE parley_knowledge_searches_total counter",
		"# TYPE parley_connector_calls_total counter",
		"# TYPE parley_connector_call_duration_seconds histogram",
		"# TYPE parley_http_requests_total counter",
		"# TYPE parley_http_request_duration_seconds histogram",
		"# TYPE parley_websocket_connections gauge",
		"# TYPE parley_tickets_created_total counter",
		"# TYPE parley_ticket_sla_breaches_total counter",
		"# TYPE parley_tickets_overdue gauge",
		"# TYPE parley_approvals_requested_total counter",
		"# TYPE parley_approvals_decided_total counter",
		"# TYPE parley_outbox_attempts_total counter",
		"# TYPE parley_outcomes_total counter",
		"# TYPE parley_satisfaction_scores_total counter",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TYPE lines (-want +got):\n%s", diff)
	}
}

func TestMetricsLabelEscapingAndCap(t *testing.T) {
	m := NewMetrics()
	m.TurnDone(time.Millisecond, &engine.TurnResult{Intent: "a\"b\\c\nd"}, nil)
	for i := range maxLabelValues + 10 {
		m.TurnDone(time.Millisecond, &engine.TurnResult{Intent: fmt.Sprintf("intent_%04d", i)}, nil)
	}
	lines := scrapeMetrics(t, m.Handler(), "parley_intents_total{")
	if len(lines) != maxLabelValues+1 {
		t.Errorf("%d intent series, want %d (the cap and other)", len(lines), maxLabelValues+1)
	}
	got := []string{lines[0], lines[len(lines)-1]}
	want := []string{
		`parley_intents_total{intent="a\"b\\c\nd"} 1`,
		`parley_intents_total{intent="other"} 11`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// HTTP metrics are labelled by route pattern: two conversations make one series.
func TestMetricsHTTPMiddleware(t *testing.T) {
	m := NewMetrics()
	e := echo.New()
	e.Use(m.Middleware())
	e.GET("/v1/conversations/:id/transcript", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.POST("/v1/conversations/:id/messages", func(c echo.Context) error {
		return echo.NewHTTPError(http.StatusBadRequest, "no text")
	})
	srv := httptest.NewServer(e)
	defer srv.Close()
	for _, r := range []struct{ method, path string }{
		{"GET", "/v1/conversations/c_1/transcript"},
		{"GET", "/v1/conversations/c_2/transcript"},
		{"POST", "/v1/conversations/c_1/messages"},
		{"GET", "/no/such/page/12345"},
	} {
		req, _ := http.NewRequest(r.method, srv.URL+r.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	got := scrapeMetrics(t, m.Handler(), "parley_http_requests_total", "parley_http_request_duration_seconds_count")
	want := []string{
		`parley_http_requests_total{route="/v1/conversations/:id/messages",code="400"} 1`,
		`parley_http_requests_total{route="/v1/conversations/:id/transcript",code="200"} 2`,
		`parley_http_requests_total{route="unmatched",code="404"} 1`,
		`parley_http_request_duration_seconds_count{route="/v1/conversations/:id/messages"} 1`,
		`parley_http_request_duration_seconds_count{route="/v1/conversations/:id/transcript"} 2`,
		`parley_http_request_duration_seconds_count{route="unmatched"} 1`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func BenchmarkMetricsObserveTurn(b *testing.B) {
	m := NewMetrics()
	res := &engine.TurnResult{Intent: "track_order", Handoff: &engine.HandoffInfo{Queue: "orders"}}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.TurnDone(3*time.Millisecond, res, nil)
			m.ConnectorCalled("orders", "get_order", "ok", 20*time.Millisecond, 1)
		}
	})
}

// Outcome and satisfaction counters, and the inbox gauges read at scrape time.
func TestOutcomeMetrics(t *testing.T) {
	m := NewMetrics()
	m.OutcomeRecorded("bot_resolved")
	m.OutcomeRecorded("bot_resolved")
	m.OutcomeRecorded("agent_resolved")
	m.SatisfactionRecorded(5)
	m.SatisfactionRecorded(0) // out of range: ignored
	m.SetLive(func(ctx context.Context) (liveInbox, error) {
		return liveInbox{Queues: []desk.QueueView{{Name: "general", Waiting: 2, OldestWaitS: 150}}, Agents: map[string]int{"online": 1, "offline": 3}}, nil
	})
	got := scrapeMetrics(t, m.Handler(), "parley_outcomes_total{", "parley_satisfaction_scores_total{score=\"5\"}", "parley_queue_", "parley_agents{", "parley_inbox_up ")
	want := []string{
		`parley_outcomes_total{outcome="agent_resolved"} 1`,
		`parley_outcomes_total{outcome="bot_resolved"} 2`,
		`parley_satisfaction_scores_total{score="5"} 1`,
		`parley_inbox_up 1`,
		`parley_queue_waiting{queue="general"} 2`,
		`parley_queue_oldest_wait_seconds{queue="general"} 150`,
		`parley_agents{status="online"} 1`,
		`parley_agents{status="busy"} 0`,
		`parley_agents{status="offline"} 3`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
}

// TestMetricsGroupCommits: with a store that groups turns into commits (the
// embedded one, PostgreSQL), /metrics reports the commits and the turns they
// held; with the memory store, which has no commits, it says nothing of them.
func TestMetricsGroupCommits(t *testing.T) {
	for _, sk := range everyStore {
		t.Run(sk.name, func(t *testing.T) {
			e := newShopEngine(t, sk.open(t), monday10)
			s := NewServer(e, ServerConfig{RouteEvery: -1, RateLimit: -1})
			t.Cleanup(func() { _ = s.Close(context.Background()) })
			for i, text := range []string{"hello", "where is my order AB123456"} {
				if _, err := e.Handle(context.Background(), engine.Message{ConversationID: fmt.Sprint("gc", i), ClientMessageID: "m1", Text: text}); err != nil {
					t.Fatal(err)
				}
			}
			got := scrapeMetrics(t, s.Metrics().Handler(), "parley_store_")
			var want []string
			if sk.name != "memory" {
				want = []string{"parley_store_commits_total 2", "parley_store_committed_turns_total 2"}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("group commit metrics (-want +got):\n%s", diff)
			}
		})
	}
}
