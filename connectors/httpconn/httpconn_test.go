package httpconn_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/connectors/connectortest"
	"github.com/parleyhq/parley/connectors/httpconn"
)

// open decodes a connector block as the bot loader does and opens it.
func open(t testing.TB, src string) connectors.Connector {
	t.Helper()
	cfg := connectortest.ConfigFromHCL(t, httpconn.Driver{}, src)
	c, err := httpconn.Driver{}.Open(cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = c.(connectors.Closer).Close() })
	return c
}

func call(t testing.TB, c connectors.Connector, op string, in map[string]any, key string) (map[string]any, error) {
	t.Helper()
	resp, err := c.Call(context.Background(), connectors.Request{Operation: op, Input: in, IdempotencyKey: key})
	return resp.Data, err
}

// echoServer answers every request with what it received, so a test reads the
// request the connector made from the connector's own result.
func echoServer(t testing.TB) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body any
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &body); err != nil {
				body = "not JSON: " + string(raw)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"method":          r.Method,
			"path":            r.URL.EscapedPath(),
			"query":           r.URL.RawQuery,
			"body":            body,
			"idempotency_key": r.Header.Get("Idempotency-Key"),
			"request_id":      r.Header.Get("X-Request-Key"),
			"content_type":    r.Header.Get("Content-Type"),
			"accept":          r.Header.Get("Accept"),
			"user_agent":      r.Header.Get("User-Agent"),
			"client":          r.Header.Get("X-Client"),
			"authorization":   r.Header.Get("Authorization"),
			"api_key":         r.Header.Get("X-Api-Key"),
			"secret_header":   r.Header.Get("X-Secret"),
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// pick keeps the keys of got that want names, so a case states only what it checks.
func pick(got, want map[string]any) map[string]any {
	out := map[string]any{}
	for k := range want {
		out[k] = got[k]
	}
	return out
}

func TestTemplating(t *testing.T) {
	srv := echoServer(t)
	c := open(t, `
connector "api" {
  type     = "http"
  base_url = "`+srv.URL+`/api/"
  headers  = { "X-Client" = "parley-test" }

  operation "get" {
    input  = { id = string, expand = optional(string), page = optional(number) }
    path   = "/orders/{id}"
    query  = { expand = "{expand}", page = "{page}", fixed = "yes", label = "order {id}" }
  }
  operation "list" {
    input  = { ids = list(string) }
    path   = "/orders"
    query  = { id = "{ids}" }
  }
  operation "numbered" {
    input  = { n = number }
    path   = "/items/{n}/x-{n}"
  }
  operation "refund" {
    input  = { order_id = string, amount = number, reason = optional(string), urgent = optional(bool) }
    method = "POST"
    path   = "/orders/{order_id}/refunds"
    body   = {
      amount  = "{amount}"
      reason  = "{reason}"
      urgent  = "{urgent}"
      note    = "refund {amount} for {order_id}"
      why     = "because: {reason}"
      tags    = ["{reason}", "fixed", 3]
      nested  = { order = "{order_id}", braces = "{not a placeholder} {1}" }
    }
  }
  operation "default_body" {
    input  = { order_id = string, address = string, note = optional(string) }
    method = "put"
    path   = "/orders/{order_id}/address"
  }
  operation "delete" {
    input  = { order_id = string }
    method = "DELETE"
    path   = "/orders/{order_id}"
  }
}`)

	tests := []struct {
		name string
		op   string
		in   map[string]any
		want map[string]any
	}{
		{
			name: "plain id, optional query inputs absent",
			op:   "get", in: map[string]any{"id": "AB123456"},
			want: map[string]any{"method": "GET", "path": "/api/orders/AB123456", "query": "fixed=yes&label=order+AB123456", "body": nil, "content_type": ""},
		},
		{
			name: "null optional inputs are left out of the query",
			op:   "get", in: map[string]any{"id": "A1", "expand": nil, "page": nil},
			want: map[string]any{"query": "fixed=yes&label=order+A1"},
		},
		{
			name: "typed query inputs",
			op:   "get", in: map[string]any{"id": "A1", "expand": "items & lines", "page": 2.0},
			want: map[string]any{"query": "expand=items+%26+lines&fixed=yes&label=order+A1&page=2"},
		},
		{
			name: "space and slash are escaped in the path",
			op:   "get", in: map[string]any{"id": "a b/c"},
			want: map[string]any{"path": "/api/orders/a%20b%2Fc"},
		},
		{
			name: "dot segments cannot climb out of the path",
			op:   "get", in: map[string]any{"id": "../admin"},
			want: map[string]any{"path": "/api/orders/..%2Fadmin"},
		},
		{
			name: "unicode and Chinese in path and query",
			op:   "get", in: map[string]any{"id": "订单 1", "expand": "é?#"},
			want: map[string]any{
				"path":  "/api/orders/%E8%AE%A2%E5%8D%95%201",
				"query": "expand=%C3%A9%3F%23&fixed=yes&label=order+%E8%AE%A2%E5%8D%95+1",
			},
		},
		{
			name: "a list input repeats the query parameter",
			op:   "list", in: map[string]any{"ids": []any{"A1", "B 2"}},
			want: map[string]any{"path": "/api/orders", "query": "id=A1&id=B+2"},
		},
		{
			name: "numbers print as written",
			op:   "numbered", in: map[string]any{"n": 1001.0},
			want: map[string]any{"path": "/api/items/1001/x-1001"},
		},
		{
			name: "typed body placeholders, optional inputs omitted",
			op:   "refund", in: map[string]any{"order_id": "AB123456", "amount": 12.5, "reason": nil},
			want: map[string]any{
				"method": "POST", "path": "/api/orders/AB123456/refunds", "content_type": "application/json",
				"body": map[string]any{
					"amount": 12.5,
					"note":   "refund 12.5 for AB123456",
					"tags":   []any{nil, "fixed", 3.0},
					"nested": map[string]any{"order": "AB123456", "braces": "{not a placeholder} {1}"},
				},
			},
		},
		{
			name: "every optional input given",
			op:   "refund", in: map[string]any{"order_id": "AB123456", "amount": 320.0, "reason": "损坏 <broken> & late", "urgent": true},
			want: map[string]any{"body": map[string]any{
				"amount": 320.0, "reason": "损坏 <broken> & late", "urgent": true,
				"note": "refund 320 for AB123456", "why": "because: 损坏 <broken> & late",
				"tags":   []any{"损坏 <broken> & late", "fixed", 3.0},
				"nested": map[string]any{"order": "AB123456", "braces": "{not a placeholder} {1}"},
			}},
		},
		{
			name: "without body, PUT sends the non-null inputs not in the URL",
			op:   "default_body", in: map[string]any{"order_id": "CD654321", "address": "1 Main St", "note": nil},
			want: map[string]any{
				"method": "PUT", "content_type": "application/json",
				"body": map[string]any{"address": "1 Main St"},
			},
		},
		{
			name: "DELETE sends no body",
			op:   "delete", in: map[string]any{"order_id": "A1"},
			want: map[string]any{"method": "DELETE", "path": "/api/orders/A1", "body": nil, "content_type": ""},
		},
		{
			name: "standard and static headers",
			op:   "delete", in: map[string]any{"order_id": "A1"},
			want: map[string]any{"accept": "application/json", "user_agent": "parley", "client": "parley-test"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := call(t, c, tc.op, tc.in, "")
			if err != nil {
				t.Fatalf("Call: %v", err)
			}
			if diff := cmp.Diff(tc.want, pick(got, tc.want)); diff != "" {
				t.Errorf("request mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInputErrors(t *testing.T) {
	srv := echoServer(t)
	c := open(t, `
connector "api" {
  type     = "http"
  base_url = "`+srv.URL+`"
  operation "get" {
    input = { id = string, note = optional(string) }
    path  = "/orders/{id}"
  }
}`)
	tests := []struct {
		name string
		in   map[string]any
		want string
	}{
		{"missing", map[string]any{}, "missing input id"},
		{"nil input", nil, "missing input id"},
		{"undeclared", map[string]any{"id": "A1", "other": 1.0}, "undeclared input other"},
		{"empty path input", map[string]any{"id": ""}, "input id is empty"},
		{"null path input", map[string]any{"id": nil}, "input id is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := call(t, c, "get", tc.in, "")
			if !errors.Is(err, connectors.ErrInvalidInput) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want ErrInvalidInput with %q", err, tc.want)
			}
		})
	}
}

func TestResultPaths(t *testing.T) {
	doc := `{"order":{"status":"shipped","total":320,"items":[{"sku":"A","qty":1},{"sku":"B","qty":2}],"0":"key zero"},
	         "tags":["x","y"],"empty":null}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/doc":
			_, _ = io.WriteString(w, doc)
		case "/array":
			_, _ = io.WriteString(w, `[{"sku":"A"}]`)
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		case "/empty200":
			_, _ = io.WriteString(w, " \n")
		}
	}))
	t.Cleanup(srv.Close)
	c := open(t, `
connector "api" {
  type     = "http"
  base_url = "`+srv.URL+`"
  operation "paths" {
    path   = "/doc"
    result = {
      status   = "order.status"
      dollar   = "$.order.total"
      bracket  = "order.items[1].sku"
      dotted   = "order.items.0.sku"
      item     = "order.items[0]"
      key_zero = "order.0"
      tag      = "tags[1]"
      missing  = "order.nothing"
      too_far  = "order.items[9].sku"
      through  = "order.status.length"
      null     = "empty"
      whole    = "$"
    }
  }
  operation "typed" {
    output = { status = string, tags = list(string), total = number }
    path   = "/doc"
    result = { status = "order.status", total = "order.total" }
  }
  operation "whole" {
    path = "/doc"
  }
  operation "array_whole" {
    path = "/array"
  }
  operation "array_path" {
    path   = "/array"
    result = { sku = "[0].sku", again = "$[0].sku" }
  }
  operation "no_content" {
    method = "POST"
    path   = "/empty"
  }
  operation "empty_200" {
    path   = "/empty200"
    output = { status = string }
  }
}`)
	var whole map[string]any
	if err := json.Unmarshal([]byte(doc), &whole); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		op      string
		want    map[string]any
		wantErr string
	}{
		{op: "paths", want: map[string]any{
			"status": "shipped", "dollar": 320.0, "bracket": "B", "dotted": "A",
			"item": map[string]any{"sku": "A", "qty": 1.0}, "key_zero": "key zero", "tag": "y",
			"missing": nil, "too_far": nil, "through": nil, "null": nil, "whole": whole,
		}},
		{op: "typed", want: map[string]any{"status": "shipped", "total": 320.0, "tags": []any{"x", "y"}}},
		{op: "whole", want: whole},
		{op: "array_whole", wantErr: "response is a list, not an object"},
		{op: "array_path", want: map[string]any{"sku": "A", "again": "A"}},
		{op: "no_content", want: map[string]any{}},
		{op: "empty_200", want: map[string]any{}},
	}
	for _, tc := range tests {
		t.Run(tc.op, func(t *testing.T) {
			got, err := call(t, c, tc.op, nil, "")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Call: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("result mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// statusServer answers /status/CODE with that status and a JSON error body.
func statusServer(t testing.TB) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/status/"))
		if err != nil {
			http.Error(w, "bad test path", http.StatusTeapot)
			return
		}
		switch r.URL.Query().Get("shape") {
		case "text":
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(code)
			_, _ = io.WriteString(w, "upstream   exploded\nbadly")
		case "long":
			w.WriteHeader(code)
			_, _ = io.WriteString(w, `{"message":"`+strings.Repeat("错", 100)+`"}`)
		default:
			w.WriteHeader(code)
			_, _ = io.WriteString(w, `{"error":{"code":"c`+strconv.Itoa(code)+`","message":"server says `+strconv.Itoa(code)+`"}}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestStatusMapping(t *testing.T) {
	srv := statusServer(t)
	c := open(t, `
connector "api" {
  type     = "http"
  base_url = "`+srv.URL+`"
  operation "get" {
    input = { code = number, email = optional(string), shape = optional(string) }
    path  = "/status/{code}"
    query = { email = "{email}", shape = "{shape}" }
  }
  operation "custom" {
    input     = { code = number }
    method    = "POST"
    path      = "/status/{code}"
    not_found = [404, 410]
    rejected  = [400, 402]
  }
}`)
	tests := []struct {
		op       string
		code     int
		shape    string
		wantCode string
		wantMsg  string
	}{
		{"get", 404, "", connectors.CodeNotFound, "GET /status/{code}: status 404: c404: server says 404"},
		{"get", 409, "", connectors.CodeRejected, "status 409: c409: server says 409"},
		{"get", 422, "", connectors.CodeRejected, "status 422"},
		{"get", 400, "", connectors.CodeInvalidInput, "status 400"},
		{"get", 401, "", connectors.CodeError, "refused the connector's credentials"},
		{"get", 403, "", connectors.CodeError, "status 403"},
		{"get", 408, "", connectors.CodeUnavailable, "status 408"},
		{"get", 429, "", connectors.CodeUnavailable, "status 429"},
		{"get", 500, "", connectors.CodeUnavailable, "status 500"},
		{"get", 503, "", connectors.CodeUnavailable, "status 503"},
		{"get", 418, "", connectors.CodeError, "unexpected status"},
		{"get", 502, "text", connectors.CodeUnavailable, "status 502: upstream exploded badly"},
		{"get", 500, "long", connectors.CodeUnavailable, strings.Repeat("错", 66) + "…"},
		{"custom", 410, "", connectors.CodeNotFound, "POST /status/{code}: status 410"},
		{"custom", 400, "", connectors.CodeRejected, "status 400"},
		{"custom", 409, "", connectors.CodeError, "status 409"},
	}
	for _, tc := range tests {
		t.Run(tc.op+"/"+strconv.Itoa(tc.code)+tc.shape, func(t *testing.T) {
			in := map[string]any{"code": float64(tc.code)}
			if tc.op == "get" {
				in["email"] = "ann@example.com"
				if tc.shape != "" {
					in["shape"] = tc.shape
				}
			}
			_, err := call(t, c, tc.op, in, "")
			if got := connectors.ErrorCode(err); got != tc.wantCode {
				t.Errorf("ErrorCode(%v) = %q, want %q", err, got, tc.wantCode)
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error = %v, want one containing %q", err, tc.wantMsg)
			}
			if err != nil && strings.Contains(err.Error(), "ann@") {
				t.Errorf("error %q holds the query string", err)
			}
		})
	}
}

func TestTransportFailures(t *testing.T) {
	hang := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-hang:
			}
		case "/huge":
			_, _ = io.WriteString(w, `{"x":"`+strings.Repeat("a", 1<<20)+`"}`)
		case "/huge_declared":
			w.Header().Set("Content-Length", strconv.Itoa(2<<20))
			_, _ = io.WriteString(w, `{}`)
		case "/just_fits":
			_, _ = io.WriteString(w, `{"x":"`+strings.Repeat("a", 1<<20-10)+`"}`)
		case "/html":
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html>maintenance</html>")
		case "/reset":
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(hang) })

	refused, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusedURL := "http://" + refused.Addr().String()
	_ = refused.Close()

	c := open(t, `
connector "api" {
  type     = "http"
  base_url = "`+srv.URL+`"
  operation "get" {
    input = { where = string }
    path  = "/{where}"
    query = { secret = "s3cr3t-{where}" }
  }
}`)
	down := open(t, `
connector "down" {
  type     = "http"
  base_url = "`+refusedURL+`"
  operation "get" {
    input = { where = string }
    path  = "/{where}"
    query = { secret = "s3cr3t-{where}" }
  }
}`)

	tests := []struct {
		name     string
		conn     connectors.Connector
		where    string
		timeout  time.Duration
		wantIs   []error
		wantCode string
		wantMsg  string
	}{
		{name: "deadline", conn: c, where: "slow", timeout: 50 * time.Millisecond,
			wantIs: []error{connectors.ErrTimeout, context.DeadlineExceeded}, wantCode: connectors.CodeTimeout, wantMsg: "no answer in time"},
		{name: "connection refused", conn: down, where: "x",
			wantIs: []error{connectors.ErrUnavailable}, wantCode: connectors.CodeUnavailable, wantMsg: "refused"},
		{name: "connection reset", conn: c, where: "reset",
			wantIs: []error{connectors.ErrUnavailable}, wantCode: connectors.CodeUnavailable},
		{name: "oversized body", conn: c, where: "huge", wantCode: connectors.CodeError, wantMsg: "larger than 1048576 bytes"},
		{name: "oversized declared length", conn: c, where: "huge_declared", wantCode: connectors.CodeError, wantMsg: "larger than 1048576 bytes"},
		{name: "non-JSON body", conn: c, where: "html", wantCode: connectors.CodeError, wantMsg: "response is not JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			_, err := tc.conn.Call(ctx, connectors.Request{Operation: "get", Input: map[string]any{"where": tc.where}})
			for _, target := range tc.wantIs {
				if !errors.Is(err, target) {
					t.Errorf("error = %v, want one wrapping %v", err, target)
				}
			}
			if got := connectors.ErrorCode(err); got != tc.wantCode {
				t.Errorf("ErrorCode(%v) = %q, want %q", err, got, tc.wantCode)
			}
			if err != nil && !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error = %v, want one containing %q", err, tc.wantMsg)
			}
			if err != nil && strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("error %q holds the query string", err)
			}
		})
	}

	t.Run("just under the limit", func(t *testing.T) {
		if _, err := call(t, c, "get", map[string]any{"where": "just_fits"}, ""); err != nil {
			t.Errorf("Call: %v", err)
		}
	})
}

func TestAuthAndBaseURLFromEnv(t *testing.T) {
	srv := echoServer(t)
	t.Setenv("PARLEY_HTTP_TEST_TOKEN", "tok-123")
	t.Setenv("PARLEY_HTTP_TEST_KEY", "key-456")
	t.Setenv("PARLEY_HTTP_TEST_URL", srv.URL)
	op := `operation "get" {
    path = "/x"
  }`
	tests := []struct {
		name string
		conf string
		want map[string]any
	}{
		{"bearer", `auth { bearer_token_env = "PARLEY_HTTP_TEST_TOKEN" }`,
			map[string]any{"authorization": "Bearer tok-123", "api_key": ""}},
		{"api key, default header", `auth { api_key_env = "PARLEY_HTTP_TEST_KEY" }`,
			map[string]any{"authorization": "", "api_key": "key-456"}},
		{"api key, own header", `auth {
    api_key_env    = "PARLEY_HTTP_TEST_KEY"
    api_key_header = "X-Secret"
  }`, map[string]any{"api_key": "", "secret_header": "key-456"}},
		{"no auth", ``, map[string]any{"authorization": "", "api_key": ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// base_url points nowhere: the environment's URL must win.
			c := open(t, `
connector "api" {
  type         = "http"
  base_url     = "http://127.0.0.1:1"
  base_url_env = "PARLEY_HTTP_TEST_URL"
  `+tc.conf+`
  `+op+`
}`)
			got, err := call(t, c, "get", nil, "")
			if err != nil {
				t.Fatalf("Call: %v", err)
			}
			if diff := cmp.Diff(tc.want, pick(got, tc.want)); diff != "" {
				t.Errorf("headers mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIdempotencyHeader(t *testing.T) {
	srv := echoServer(t)
	conn := func(setting string) connectors.Connector {
		return open(t, `
connector "api" {
  type     = "http"
  base_url = "`+srv.URL+`"
  `+setting+`
  operation "get" {
    path = "/x"
  }
  operation "post" {
    method = "POST"
    path   = "/x"
  }
  operation "delete" {
    method = "DELETE"
    path   = "/x"
  }
}`)
	}
	dflt, custom, off := conn(""), conn(`idempotency_header = "X-Request-Key"`), conn(`idempotency_header = ""`)
	tests := []struct {
		name string
		conn connectors.Connector
		op   string
		key  string
		want map[string]any
	}{
		{"POST sends the key", dflt, "post", "k-1", map[string]any{"idempotency_key": "k-1", "request_id": ""}},
		{"DELETE sends the key", dflt, "delete", "k-2", map[string]any{"idempotency_key": "k-2"}},
		{"GET does not", dflt, "get", "k-3", map[string]any{"idempotency_key": ""}},
		{"no key, no header", dflt, "post", "", map[string]any{"idempotency_key": ""}},
		{"own header name", custom, "post", "k-4", map[string]any{"idempotency_key": "", "request_id": "k-4"}},
		{"disabled", off, "post", "k-5", map[string]any{"idempotency_key": "", "request_id": ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := call(t, tc.conn, tc.op, nil, tc.key)
			if err != nil {
				t.Fatalf("Call: %v", err)
			}
			if diff := cmp.Diff(tc.want, pick(got, tc.want)); diff != "" {
				t.Errorf("headers mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIdempotent(t *testing.T) {
	ops := `
  operation "get"     { path = "/x" }
  operation "put" {
    method = "PUT"
    path   = "/x"
  }
  operation "delete" {
    method = "DELETE"
    path   = "/x"
  }
  operation "post" {
    method = "POST"
    path   = "/x"
  }
  operation "patch" {
    method = "PATCH"
    path   = "/x"
  }
  operation "post_not" {
    method     = "POST"
    path       = "/x"
    idempotent = false
  }
  operation "get_not" {
    path       = "/x"
    idempotent = false
  }
  operation "post_yes" {
    method     = "POST"
    path       = "/x"
    idempotent = true
  }`
	tests := []struct {
		setting string
		want    map[string]bool
	}{
		{``, map[string]bool{"get": true, "put": true, "delete": true, "post": true, "patch": true,
			"post_not": false, "get_not": false, "post_yes": true, "nope": false}},
		{`idempotency_header = ""`, map[string]bool{"get": true, "put": true, "delete": true, "post": false, "patch": false,
			"post_not": false, "get_not": false, "post_yes": true, "nope": false}},
	}
	for _, tc := range tests {
		t.Run("setting "+tc.setting, func(t *testing.T) {
			c := open(t, `connector "api" {
  type     = "http"
  base_url = "http://127.0.0.1:1"
  `+tc.setting+ops+`
}`)
			got := map[string]bool{}
			for op := range tc.want {
				got[op] = c.(connectors.IdempotenceReporter).Idempotent(op)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Idempotent mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHCLMistakes(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"unknown connector attribute", `connector "a" {
  type     = "http"
  base_url = "http://x"
  baseurl  = "http://x"
}`, []string{"connector.hcl:4,3", "Unsupported argument", `"baseurl"`}},
		{"unknown operation attribute", `connector "a" {
  type     = "http"
  base_url = "http://x"
  operation "get" {
    path   = "/x"
    params = { a = "b" }
  }
}`, []string{"connector.hcl:6,5", "Unsupported argument", `"params"`}},
		{"wrong type", `connector "a" {
  type     = "http"
  base_url = "http://x"
  operation "get" {
    path      = "/x"
    not_found = "404"
  }
}`, []string{"connector.hcl:6,17", "Incorrect attribute value type", "list of number required"}},
		{"headers not a map", `connector "a" {
  type     = "http"
  base_url = "http://x"
  headers  = ["X-A"]
}`, []string{"connector.hcl:4,14", "Incorrect attribute value type"}},
		{"missing path", `connector "a" {
  type     = "http"
  base_url = "http://x"
  operation "get" {
    method = "GET"
  }
}`, []string{"connector.hcl:4,19", "Missing required argument", `"path"`}},
		{"unknown auth attribute", `connector "a" {
  type     = "http"
  base_url = "http://x"
  auth { token = "abc" }
}`, []string{"connector.hcl:4,10", "Unsupported argument", `"token"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := connectortest.DecodeHCL(httpconn.Driver{}, tc.src)
			if !diags.HasErrors() {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(diags.Error(), w) {
					t.Errorf("diagnostics %q do not contain %q", diags.Error(), w)
				}
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	t.Setenv("PARLEY_HTTP_TEST_EMPTY", "")
	t.Setenv("PARLEY_HTTP_TEST_BAD_URL", "ftp://files")
	getX := `operation "get" { path = "/x" }`
	tests := []struct {
		name string
		conf string // connector attributes
		ops  string
		want string
	}{
		{"no base_url", ``, getX, "base_url is required"},
		{"relative base_url", `base_url = "/api"`, getX, `base_url: "/api" must be an absolute http or https URL`},
		{"ftp base_url", `base_url = "ftp://x"`, getX, "must be an absolute http or https URL"},
		{"credentials in base_url", `base_url = "https://u:p@x"`, getX, "base_url: must not hold credentials"},
		{"query in base_url", `base_url = "https://x/?k=1"`, getX, "must not have a query"},
		{"bad URL from env", `base_url_env = "PARLEY_HTTP_TEST_BAD_URL"`, getX, "base_url_env (environment variable PARLEY_HTTP_TEST_BAD_URL)"},
		{"env unset and no base_url", `base_url_env = "PARLEY_HTTP_TEST_UNSET"`, getX, "environment variable PARLEY_HTTP_TEST_UNSET (base_url_env) is empty or not set"},
		{"bad env name", `base_url_env = "SHOP-URL"`, getX, `base_url_env: "SHOP-URL" is not a valid environment variable name`},
		{"token unset", `base_url = "http://x"
  auth { bearer_token_env = "PARLEY_HTTP_TEST_UNSET" }`, getX, "auth.bearer_token_env: environment variable PARLEY_HTTP_TEST_UNSET is not set"},
		{"token empty", `base_url = "http://x"
  auth { api_key_env = "PARLEY_HTTP_TEST_EMPTY" }`, getX, "auth.api_key_env: environment variable PARLEY_HTTP_TEST_EMPTY is empty"},
		{"bad token env name", `base_url = "http://x"
  auth { bearer_token_env = "1TOKEN" }`, getX, `auth.bearer_token_env: "1TOKEN" is not a valid environment variable name`},
		{"both auths", `base_url = "http://x"
  auth {
    bearer_token_env = "A"
    api_key_env      = "B"
  }`, getX, "auth: set bearer_token_env or api_key_env, not both"},
		{"empty auth", `base_url = "http://x"
  auth {}`, getX, "auth: set bearer_token_env or api_key_env"},
		{"secret in headers", `base_url = "http://x"
  headers = { Authorization = "Bearer abc" }`, getX, `headers["Authorization"]: secrets must not be written in the bot`},
		{"bad header name", `base_url = "http://x"
  headers = { "X Client" = "a" }`, getX, `headers["X Client"]: not a valid header name`},
		{"bad health_path", `base_url = "http://x"
  health_path = "healthz"`, getX, `health_path: "healthz" must start with /`},
		{"bad method", `base_url = "http://x"`, `operation "get" {
    method = "FETCH"
    path   = "/x"
  }`, `operation "get": method: "FETCH" is not one of GET, POST, PUT, PATCH, DELETE`},
		{"relative path", `base_url = "http://x"`, `operation "get" { path = "x" }`, `operation "get": path: "x" must start with /`},
		{"query in path", `base_url = "http://x"`, `operation "get" { path = "/x?a=1" }`, "put query parameters in query"},
		{"undeclared path placeholder", `base_url = "http://x"`, `operation "get" {
    input = { id = string }
    path  = "/orders/{order_id}"
  }`, `operation "get": path: placeholder {order_id} is not a declared input (declared: id)`},
		{"optional path placeholder", `base_url = "http://x"`, `operation "get" {
    input = { id = optional(string) }
    path  = "/orders/{id}"
  }`, "path: placeholder {id} is an optional input"},
		{"undeclared query placeholder", `base_url = "http://x"`, `operation "get" {
    input = { id = string }
    path  = "/orders"
    query = { q = "{idd}" }
  }`, "query.q: placeholder {idd} is not a declared input"},
		{"undeclared body placeholder", `base_url = "http://x"`, `operation "post" {
    input  = { id = string }
    method = "POST"
    path   = "/orders"
    body   = { a = { b = ["{id}", "{nope}"] } }
  }`, `operation "post": body: a: b: [1]: placeholder {nope} is not a declared input`},
		{"body on GET", `base_url = "http://x"`, `operation "get" {
    path = "/x"
    body = { a = 1 }
  }`, "body: a GET request has no body"},
		{"result field not in output", `base_url = "http://x"`, `operation "get" {
    path   = "/x"
    output = { status = string }
    result = { state = "order.status" }
  }`, "result.state: not a field of output (fields: status)"},
		{"bad result path", `base_url = "http://x"`, `operation "get" {
    path   = "/x"
    result = { a = "items[x]" }
  }`, `result.a: path "items[x]": "[x]" is not an array index`},
		{"empty result path", `base_url = "http://x"`, `operation "get" {
    path   = "/x"
    result = { a = "order..status" }
  }`, "has an empty name"},
		{"bad status", `base_url = "http://x"`, `operation "get" {
    path      = "/x"
    not_found = [404, 4040]
  }`, "not_found: 4040 is not an HTTP status"},
		{"status in both lists", `base_url = "http://x"`, `operation "get" {
    path     = "/x"
    rejected = [404]
  }`, "status 404 is in both not_found and rejected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := connectortest.ConfigFromHCL(t, httpconn.Driver{}, `connector "a" {
  type = "http"
  `+tc.conf+`
  `+tc.ops+`
}`)
			c, err := httpconn.Driver{}.Open(cfg)
			if err == nil {
				_ = c.(connectors.Closer).Close()
				t.Fatalf("Open succeeded, want an error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Open error = %q, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestHealth(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz", "/up":
			_, _ = io.WriteString(w, "ok")
		default:
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(srv.Close)
	refused, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusedURL := "http://" + refused.Addr().String()
	_ = refused.Close()

	tests := []struct {
		name     string
		conf     string
		wantCode string // "" means healthy
	}{
		{"default path", `base_url = "` + srv.URL + `"`, ""},
		{"own path", `base_url = "` + srv.URL + `"
  health_path = "/up"`, ""},
		{"503", `base_url = "` + srv.URL + `"
  health_path = "/down"`, connectors.CodeUnavailable},
		{"refused", `base_url = "` + refusedURL + `"`, connectors.CodeUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := open(t, `connector "a" {
  type = "http"
  `+tc.conf+`
}`)
			err := c.(connectors.HealthChecker).Health(context.Background())
			if got := connectors.ErrorCode(err); got != tc.wantCode {
				t.Errorf("Health() = %v (code %q), want code %q", err, got, tc.wantCode)
			}
		})
	}
}

// TestRedirects follows a redirect on the same host but not to another one,
// which would receive the API key.
func TestRedirects(t *testing.T) {
	other := echoServer(t)
	t.Setenv("PARLEY_HTTP_TEST_KEY", "key-456")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
		case "/new":
			_, _ = io.WriteString(w, `{"api_key":"`+r.Header.Get("X-Api-Key")+`"}`)
		case "/away":
			http.Redirect(w, r, other.URL+"/stolen", http.StatusFound)
		}
	}))
	t.Cleanup(srv.Close)
	c := open(t, `connector "a" {
  type     = "http"
  base_url = "`+srv.URL+`"
  auth { api_key_env = "PARLEY_HTTP_TEST_KEY" }
  operation "old" { path = "/old" }
  operation "away" { path = "/away" }
}`)
	got, err := call(t, c, "old", nil, "")
	if err != nil {
		t.Fatalf("same-host redirect: %v", err)
	}
	if diff := cmp.Diff(map[string]any{"api_key": "key-456"}, got); diff != "" {
		t.Errorf("same-host redirect result (-want +got):\n%s", diff)
	}
	_, err = call(t, c, "away", nil, "")
	if err == nil || !strings.Contains(err.Error(), "status 302") {
		t.Errorf("redirect to another host: error = %v, want status 302 not followed", err)
	}
}

// TestConformanceEcho runs the suite on writes too, against the echo server.
func TestConformanceEcho(t *testing.T) {
	srv := echoServer(t)
	cfg := connectortest.ConfigFromHCL(t, httpconn.Driver{}, `
connector "api" {
  type     = "http"
  base_url = "`+srv.URL+`"
  operation "refund" {
    input  = { order_id = string, amount = number, reason = optional(string) }
    output = { method = string, path = string, body = any }
    method = "POST"
    path   = "/orders/{order_id}/refunds"
    body   = { amount = "{amount}", reason = "{reason}" }
  }
}`)
	connectortest.Exercise(t, httpconn.Driver{}, cfg, connectortest.Cases{
		{Operation: "refund", Input: map[string]any{"order_id": "AB123456", "amount": 20.0, "reason": "late"}, Want: map[string]any{
			"method": "POST", "path": "/orders/AB123456/refunds", "body": map[string]any{"amount": 20.0, "reason": "late"},
		}},
		{Operation: "refund", Input: map[string]any{"order_id": "AB123456"}, WantErr: connectors.ErrInvalidInput},
	})
}

// A 429 or 503 says how long to wait; the engine's retries honour it.
func TestRetryAfterIsPassedOn(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/status/"))
		if h := r.URL.Query().Get("after"); h != "" {
			w.Header().Set("Retry-After", h)
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(srv.Close)
	c := open(t, `
connector "api" {
  type     = "http"
  base_url = "`+srv.URL+`"
  operation "get" {
    input = { code = number, after = optional(string) }
    path  = "/status/{code}"
    query = { after = "{after}" }
  }
}`)
	tests := []struct {
		code   int
		after  string
		want   time.Duration
		wantOK bool
	}{
		{429, "7", 7 * time.Second, true},
		{503, "2", 2 * time.Second, true},
		{503, "", 0, false},
		{500, "nonsense", 0, false},
		{404, "5", 0, false}, // an answer, not an outage: nothing to wait for
	}
	for _, tc := range tests {
		in := map[string]any{"code": float64(tc.code)}
		if tc.after != "" {
			in["after"] = tc.after
		}
		_, err := call(t, c, "get", in, "")
		got, ok := connectors.RetryAfterOf(err)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("status %d, Retry-After %q: RetryAfterOf(%v) = %v, %v; want %v, %v", tc.code, tc.after, err, got, ok, tc.want, tc.wantOK)
		}
	}
}
