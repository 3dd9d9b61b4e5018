package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/engine/store/memstore"
)

// TestReportDownload serves a supervisor the report of a period in each
// format, as files named after the bot and the period, and refuses agents and
// malformed periods with a message naming the parameter.
func TestReportDownload(t *testing.T) {
	st := memstore.New()
	e := newShopEngine(t, st, monday10)
	seedOutcomes(t, st, monday10)
	srv := NewServer(e, ServerConfig{Token: "admin-token", RouteEvery: -1})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	agent := createAgentWithRole(t, ts.URL, "admin-token", "ann", "agent")
	super := createAgentWithRole(t, ts.URL, "admin-token", "sue", "supervisor")

	get := func(key, query string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/v1/reports"+query, nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if resp, _ := get(agent, ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent: GET /v1/reports = %d, want 403", resp.StatusCode)
	}
	tests := []struct {
		query, contentType, disposition, body string
	}{
		{"", "application/json", "", `"containment_rate"`},
		{"?from=2026-11-10&to=2026-11-24&by=day&format=csv", "text/csv", `attachment; filename="shop-report-2026-11-10-2026-11-23.csv"`, "containment_rate"},
		{"?format=xlsx&by=queue,agent", "spreadsheetml", `.xlsx"`, "PK"},
		{"?format=html&from=2026-11-20", "text/html", `filename="shop-report-2026-11-20-2026-11-23.html"`, "<html"},
		{"?to=2026-11-20&format=csv", "text/csv", `filename="shop-report-2026-11-13-2026-11-19.csv"`, "containment_rate"}, // the week before
		// What parley report -from/-to take (report.ParsePeriod).
		{"?from=yesterday&to=today&format=csv", "text/csv", `filename="shop-report-2026-11-22-2026-11-22.csv"`, "containment_rate"},
		{"?from=1d&format=csv", "text/csv", `filename="shop-report-2026-11-22-2026-11-23.csv"`, "containment_rate"},
		{"?from=2026-11-20T09:00&to=2026-11-21T00:00:00%2B08:00&format=csv", "text/csv", `filename="shop-report-2026-11-20-2026-11-20.csv"`, "containment_rate"},
	}
	for _, tt := range tests {
		resp, body := get(super, tt.query)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET /v1/reports%s = %d %s", tt.query, resp.StatusCode, body)
			continue
		}
		if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, tt.contentType) {
			t.Errorf("GET /v1/reports%s: Content-Type %q, want %q", tt.query, ct, tt.contentType)
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, tt.disposition) || (tt.disposition == "") != (cd == "") {
			t.Errorf("GET /v1/reports%s: Content-Disposition %q, want %q", tt.query, cd, tt.disposition)
		}
		if !bytes.Contains([]byte(body), []byte(tt.body)) {
			t.Errorf("GET /v1/reports%s: body lacks %q: %.300s", tt.query, tt.body, body)
		}
	}
	for query, want := range map[string]string{
		"?format=pdf":                    "format",
		"?from=last+tuesday":             `from \"last tuesday\" is not a date (2026-11-23), a time (2026-11-23T09:00), RFC 3339`,
		"?to=soon":                       `to \"soon\" is not a date`,
		"?from=2026-11-24&to=2026-11-20": "from must be before to",
		"?by=weather":                    `by \"weather\"`,
	} {
		if resp, body := get(super, query); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("GET /v1/reports%s = %d %s, want 400 with %q", query, resp.StatusCode, body, want)
		}
	}
}

// waitJS waits until js is true in the tab.
func (b *browserTab) waitJS(t *testing.T, js string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		t.Fatalf("%s tab: never %s: %v%s", b.name, js, err, b.consoleHint(t))
	}
}
