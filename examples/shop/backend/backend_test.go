package backend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var testNow = time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC)

func startServer(t *testing.T, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	srv := New(opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, ts
}

// reply is a response reduced to what tests compare: errors by code (the
// message is checked separately by substring), successes by their whole body.
type reply struct {
	Status   int
	Replayed string
	Code     string
	Body     map[string]any
	message  string
}

type request struct {
	method string
	path   string
	key    string // Idempotency-Key
	body   string
}

func send(ctx context.Context, t *testing.T, client *http.Client, baseURL string, req request) (reply, error) {
	t.Helper()
	var body io.Reader
	if req.body != "" {
		body = strings.NewReader(req.body)
	}
	httpReq, err := http.NewRequestWithContext(ctx, req.method, baseURL+req.path, body)
	if err != nil {
		t.Fatalf("build request: %v", err)
	}
	if req.body != "" {
		httpReq.Header.Set("Content-Type", "application/json")
	}
	if req.key != "" {
		httpReq.Header.Set("Idempotency-Key", req.key)
	}
	resp, err := client.Do(httpReq)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type = %q, want application/json (body %s)", req.method, req.path, ct, raw)
	}
	var decoded map[string]any
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatalf("%s %s: response is not a JSON object: %v: %s", req.method, req.path, err, raw)
	}
	got := reply{Status: resp.StatusCode, Replayed: resp.Header.Get("Idempotent-Replayed"), Body: decoded}
	if e, ok := decoded["error"].(map[string]any); ok {
		got.Code, _ = e["code"].(string)
		got.message, _ = e["message"].(string)
		got.Body = nil
	}
	return got, nil
}

func do(t *testing.T, baseURL string, req request) reply {
	t.Helper()
	got, err := send(t.Context(), t, http.DefaultClient, baseURL, req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.method, req.path, err)
	}
	return got
}

func orderBody(id, status, carrier, eta string, total, refunded float64, email, customerID, address string) map[string]any {
	return map[string]any{"order": map[string]any{
		"id": id, "status": status, "carrier": carrier, "eta": eta, "total": total, "currency": "CNY",
		"email": email, "customer_id": customerID, "refunded": refunded, "address": address,
	}}
}

func refundBody(id, orderID string, amount float64, reason string) map[string]any {
	return map[string]any{"refund": map[string]any{
		"id": id, "order_id": orderID, "amount": amount, "currency": "CNY", "reason": reason,
		"status": "approved", "created_at": "2026-11-21T09:30:00Z",
	}}
}

var (
	annCustomer = map[string]any{"customer": map[string]any{
		"id": "C1001", "name": "Ann", "tier": "vip", "vip": true, "email": "ann@example.com", "phone": "+8613800000001", "language": "en",
	}}
	boCustomer = map[string]any{"customer": map[string]any{
		"id": "C1002", "name": "Bo", "tier": "standard", "vip": false, "email": "bo@example.com", "phone": "+8613900000002", "language": "zh",
	}}
)

// TestRoutes sends one request per case to a freshly reset server.
func TestRoutes(t *testing.T) {
	srv, ts := startServer(t, Options{})
	tests := []struct {
		name        string
		req         request
		want        reply
		wantMessage string // substring of the error message
	}{
		{name: "healthz", req: request{method: "GET", path: "/healthz"},
			want: reply{Status: 200, Body: map[string]any{"status": "ok"}}},
		{name: "unknown route", req: request{method: "GET", path: "/nope"},
			want: reply{Status: 404, Code: "not_found"}, wantMessage: "no route for GET /nope"},
		{name: "method not allowed", req: request{method: "DELETE", path: "/orders/AB123456"},
			want: reply{Status: 405, Code: "method_not_allowed"}, wantMessage: "allowed: GET"},
		{name: "admin endpoints off by default", req: request{method: "GET", path: "/_stats"},
			want: reply{Status: 404, Code: "not_found"}},

		// orders
		{name: "order shipped", req: request{method: "GET", path: "/orders/AB123456"},
			want: reply{Status: 200, Body: orderBody("AB123456", "shipped", "SF Express", "2026-11-25", 320, 0, "ann@example.com", "C1001", "88 Century Avenue, Pudong, Shanghai")}},
		{name: "order processing", req: request{method: "GET", path: "/orders/CD654321"},
			want: reply{Status: 200, Body: orderBody("CD654321", "processing", "", "2026-11-28", 1280, 0, "bo@example.com", "C1002", "1 Jianguomenwai Street, Chaoyang, Beijing")}},
		{name: "order delivered", req: request{method: "GET", path: "/orders/EF111111"},
			want: reply{Status: 200, Body: orderBody("EF111111", "delivered", "JD Logistics", "2026-11-20", 8999, 0, "cy@example.com", "C1003", "200 Tianhe Road, Tianhe, Guangzhou")}},
		{name: "order already refunded", req: request{method: "GET", path: "/orders/LM222222"},
			want: reply{Status: 200, Body: orderBody("LM222222", "delivered", "SF Express", "2026-11-10", 199, 199, "cy@example.com", "C1003", "200 Tianhe Road, Tianhe, Guangzhou")}},
		{name: "order not found", req: request{method: "GET", path: "/orders/ZZ000000"},
			want: reply{Status: 404, Code: "not_found"}, wantMessage: "order ZZ000000 not found"},
		{name: "order id lowercase", req: request{method: "GET", path: "/orders/ab123456"},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: "like AB123456"},
		{name: "order id too short", req: request{method: "GET", path: "/orders/AB12345"},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: `"AB12345" is malformed`},

		// refunds
		{name: "refund", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `{"amount": 120.5, "reason": "damaged"}`},
			want: reply{Status: 201, Body: refundBody("RF-1001", "AB123456", 120.5, "damaged")}},
		{name: "refund without reason", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `{"amount": 1}`},
			want: reply{Status: 201, Body: refundBody("RF-1001", "AB123456", 1, "")}},
		{name: "refund whole order", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `{"amount": 320, "reason": "x"}`},
			want: reply{Status: 201, Body: refundBody("RF-1001", "AB123456", 320, "x")}},
		{name: "refund exactly 500 on a 500 order", req: request{method: "POST", path: "/orders/GH500000/refunds", key: "k1", body: `{"amount": 500, "reason": "x"}`},
			want: reply{Status: 201, Body: refundBody("RF-1001", "GH500000", 500, "x")}},
		{name: "refund a cent over 500 on a 500 order", req: request{method: "POST", path: "/orders/GH500000/refunds", key: "k1", body: `{"amount": 500.01, "reason": "x"}`},
			want: reply{Status: 422, Code: "rejected"}, wantMessage: "exceeds the 500.00 CNY still refundable"},
		{name: "refund exactly 5000 on a 5000 order", req: request{method: "POST", path: "/orders/JK500000/refunds", key: "k1", body: `{"amount": 5000, "reason": "x"}`},
			want: reply{Status: 201, Body: refundBody("RF-1001", "JK500000", 5000, "x")}},
		{name: "refund more than the total", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `{"amount": 320.01, "reason": "x"}`},
			want: reply{Status: 422, Code: "rejected"}, wantMessage: "exceeds the 320.00 CNY still refundable on order AB123456"},
		{name: "refund a huge amount", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `{"amount": 1e300, "reason": "x"}`},
			want: reply{Status: 422, Code: "rejected"}, wantMessage: "exceeds"},
		{name: "refund zero", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `{"amount": 0, "reason": "x"}`},
			want: reply{Status: 422, Code: "rejected"}, wantMessage: "greater than 0"},
		{name: "refund negative", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `{"amount": -5, "reason": "x"}`},
			want: reply{Status: 422, Code: "rejected"}, wantMessage: "greater than 0"},
		{name: "refund fractions of a cent", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `{"amount": 10.005, "reason": "x"}`},
			want: reply{Status: 422, Code: "rejected"}, wantMessage: "more than two decimal places"},
		{name: "refund fully refunded order", req: request{method: "POST", path: "/orders/LM222222/refunds", key: "k1", body: `{"amount": 1, "reason": "x"}`},
			want: reply{Status: 409, Code: "rejected"}, wantMessage: "already fully refunded"},
		{name: "refund unknown order", req: request{method: "POST", path: "/orders/ZZ000000/refunds", key: "k1", body: `{"amount": 1, "reason": "x"}`},
			want: reply{Status: 404, Code: "not_found"}},
		{name: "refund malformed order id", req: request{method: "POST", path: "/orders/A1/refunds", key: "k1", body: `{"amount": 1, "reason": "x"}`},
			want: reply{Status: 400, Code: "invalid"}},
		{name: "refund without idempotency key", req: request{method: "POST", path: "/orders/AB123456/refunds", body: `{"amount": 1, "reason": "x"}`},
			want: reply{Status: 400, Code: "idempotency_key_required"}, wantMessage: "Idempotency-Key"},
		{name: "refund with an overlong idempotency key", req: request{method: "POST", path: "/orders/AB123456/refunds", key: strings.Repeat("k", 256), body: `{"amount": 1}`},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: "at most 255"},
		{name: "refund without amount", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `{"reason": "x"}`},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: `"amount" is required`},
		{name: "refund amount as a string", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `{"amount": "12", "reason": "x"}`},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: `field "amount" must be a number, got a JSON string`},
		{name: "refund unknown field", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `{"amount": 1, "currency": "USD"}`},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: `unknown field "currency"`},
		{name: "refund empty body", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1"},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: "empty"},
		{name: "refund broken JSON", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `{"amount": 1,}`},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: "not valid JSON"},
		{name: "refund truncated JSON", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `{"amount": 1`},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: "ends in the middle"},
		{name: "refund trailing data", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `{"amount": 1} {"amount": 2}`},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: "trailing data"},
		{name: "refund body is an array", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `[1]`},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: "must be a JSON object"},
		{name: "refund body over 1 MiB", req: request{method: "POST", path: "/orders/AB123456/refunds", key: "k1", body: `{"amount": 1, "reason": "` + strings.Repeat("x", 1<<20) + `"}`},
			want: reply{Status: 413, Code: "too_large"}, wantMessage: "exceeds 1048576 bytes"},

		// address
		{name: "address update", req: request{method: "PUT", path: "/orders/CD654321/address", body: `{"address": "  12 Nanjing Road, Shanghai "}`},
			want: reply{Status: 200, Body: map[string]any{"order_id": "CD654321", "status": "updated", "address": "12 Nanjing Road, Shanghai"}}},
		{name: "address update with key", req: request{method: "PUT", path: "/orders/GH500000/address", key: "a1", body: `{"address": "12 Nanjing Road, Shanghai"}`},
			want: reply{Status: 200, Body: map[string]any{"order_id": "GH500000", "status": "updated", "address": "12 Nanjing Road, Shanghai"}}},
		{name: "address of shipped order", req: request{method: "PUT", path: "/orders/AB123456/address", body: `{"address": "12 Nanjing Road, Shanghai"}`},
			want: reply{Status: 409, Code: "rejected"}, wantMessage: "has already shipped"},
		{name: "address of delivered order", req: request{method: "PUT", path: "/orders/EF111111/address", body: `{"address": "12 Nanjing Road, Shanghai"}`},
			want: reply{Status: 409, Code: "rejected"}, wantMessage: "has already delivered"},
		{name: "address too short", req: request{method: "PUT", path: "/orders/CD654321/address", body: `{"address": "  Room 5   "}`},
			want: reply{Status: 422, Code: "invalid"}, wantMessage: "got 6"},
		{name: "address of exactly 10 characters", req: request{method: "PUT", path: "/orders/CD654321/address", body: `{"address": "上海市浦东新区世纪大道"}`},
			want: reply{Status: 200, Body: map[string]any{"order_id": "CD654321", "status": "updated", "address": "上海市浦东新区世纪大道"}}},
		{name: "address missing", req: request{method: "PUT", path: "/orders/CD654321/address", body: `{}`},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: `"address" is required`},
		{name: "address unknown order", req: request{method: "PUT", path: "/orders/ZZ000000/address", body: `{"address": "12 Nanjing Road, Shanghai"}`},
			want: reply{Status: 404, Code: "not_found"}},

		// customers
		{name: "customer by id", req: request{method: "GET", path: "/customers/C1001"},
			want: reply{Status: 200, Body: annCustomer}},
		{name: "customer by id not found", req: request{method: "GET", path: "/customers/C9999"},
			want: reply{Status: 404, Code: "not_found"}, wantMessage: `"C9999"`},
		{name: "customer by email", req: request{method: "GET", path: "/customers?email=Bo@Example.com"},
			want: reply{Status: 200, Body: boCustomer}},
		{name: "customer by phone", req: request{method: "GET", path: "/customers?phone=%2B8613800000001"},
			want: reply{Status: 200, Body: annCustomer}},
		{name: "customer by phone with unescaped plus and dashes", req: request{method: "GET", path: "/customers?phone=+86-138-0000-0001"},
			want: reply{Status: 200, Body: annCustomer}},
		{name: "customer by phone without country code", req: request{method: "GET", path: "/customers?phone=13900000002"},
			want: reply{Status: 200, Body: boCustomer}},
		{name: "customer by email and phone", req: request{method: "GET", path: "/customers?email=ann@example.com&phone=13800000001"},
			want: reply{Status: 200, Body: annCustomer}},
		{name: "customer email and phone of different people", req: request{method: "GET", path: "/customers?email=ann@example.com&phone=13900000002"},
			want: reply{Status: 404, Code: "not_found"}},
		{name: "customer by unknown email", req: request{method: "GET", path: "/customers?email=nobody@example.com"},
			want: reply{Status: 404, Code: "not_found"}, wantMessage: "nobody@example.com"},
		{name: "customer search without criteria", req: request{method: "GET", path: "/customers"},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: "email or phone"},
		{name: "customer search by name", req: request{method: "GET", path: "/customers?name=Ann"},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: `unknown query parameter "name"`},

		// tickets
		{name: "ticket", req: request{method: "POST", path: "/tickets", body: `{"subject": "Call back", "queue": "callbacks", "priority": "high", "customer_id": "C1001"}`},
			want: reply{Status: 201, Body: map[string]any{"ticket": map[string]any{
				"id": "TK-1001", "subject": "Call back", "queue": "callbacks", "priority": "high", "customer_id": "C1001",
				"status": "open", "created_at": "2026-11-21T09:30:00Z",
			}}}},
		{name: "ticket with defaults", req: request{method: "POST", path: "/tickets", key: "t1", body: `{"subject": "Call back", "queue": "general"}`},
			want: reply{Status: 201, Body: map[string]any{"ticket": map[string]any{
				"id": "TK-1001", "subject": "Call back", "queue": "general", "priority": "normal", "customer_id": "",
				"status": "open", "created_at": "2026-11-21T09:30:00Z",
			}}}},
		{name: "ticket without subject", req: request{method: "POST", path: "/tickets", body: `{"queue": "general"}`},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: `"subject" is required`},
		{name: "ticket without queue", req: request{method: "POST", path: "/tickets", body: `{"subject": "x"}`},
			want: reply{Status: 400, Code: "invalid"}, wantMessage: `"queue" is required`},
		{name: "ticket bad priority", req: request{method: "POST", path: "/tickets", body: `{"subject": "x", "queue": "general", "priority": "asap"}`},
			want: reply{Status: 422, Code: "invalid"}, wantMessage: `got "asap"`},
		{name: "ticket unknown customer", req: request{method: "POST", path: "/tickets", body: `{"subject": "x", "queue": "general", "customer_id": "C9"}`},
			want: reply{Status: 422, Code: "invalid"}, wantMessage: `customer "C9" not found`},
		{name: "ticket not found", req: request{method: "GET", path: "/tickets/TK-1"},
			want: reply{Status: 404, Code: "not_found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.Reset()
			got := do(t, ts.URL, tt.req)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(reply{}), cmp.FilterPath(func(p cmp.Path) bool {
				return p.Last().String() == ".message"
			}, cmp.Ignore())); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s\nmessage: %s", tt.req.method, tt.req.path, diff, got.message)
			}
			if !strings.Contains(got.message, tt.wantMessage) {
				t.Errorf("message = %q, want it to contain %q", got.message, tt.wantMessage)
			}
			if got.Code != "" && got.message == "" {
				t.Errorf("error %q has no message", got.Code)
			}
		})
	}
}

// TestStateAcrossRequests runs scripted sequences where each step sees the previous ones' effects.
func TestStateAcrossRequests(t *testing.T) {
	type step struct {
		req  request
		want reply
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{name: "partial refunds add up until the order is fully refunded", steps: []step{
			{request{method: "POST", path: "/orders/AB123456/refunds", key: "a", body: `{"amount": 100, "reason": "x"}`},
				reply{Status: 201, Body: refundBody("RF-1001", "AB123456", 100, "x")}},
			{request{method: "POST", path: "/orders/AB123456/refunds", key: "b", body: `{"amount": 220.01, "reason": "x"}`},
				reply{Status: 422, Code: "rejected"}},
			{request{method: "POST", path: "/orders/AB123456/refunds", key: "c", body: `{"amount": 220, "reason": "x"}`},
				reply{Status: 201, Body: refundBody("RF-1002", "AB123456", 220, "x")}},
			{request{method: "GET", path: "/orders/AB123456"},
				reply{Status: 200, Body: orderBody("AB123456", "shipped", "SF Express", "2026-11-25", 320, 320, "ann@example.com", "C1001", "88 Century Avenue, Pudong, Shanghai")}},
			{request{method: "POST", path: "/orders/AB123456/refunds", key: "d", body: `{"amount": 1, "reason": "x"}`},
				reply{Status: 409, Code: "rejected"}},
		}},
		{name: "same key and body replays the refund without applying it", steps: []step{
			{request{method: "POST", path: "/orders/EF111111/refunds", key: "r1", body: `{"amount": 99.9, "reason": "late"}`},
				reply{Status: 201, Body: refundBody("RF-1001", "EF111111", 99.9, "late")}},
			{request{method: "POST", path: "/orders/EF111111/refunds", key: "r1", body: `{ "reason": "late", "amount": 99.90 }`},
				reply{Status: 201, Replayed: "true", Body: refundBody("RF-1001", "EF111111", 99.9, "late")}},
			{request{method: "GET", path: "/orders/EF111111"},
				reply{Status: 200, Body: orderBody("EF111111", "delivered", "JD Logistics", "2026-11-20", 8999, 99.9, "cy@example.com", "C1003", "200 Tianhe Road, Tianhe, Guangzhou")}},
		}},
		{name: "same key with another body or order is refused", steps: []step{
			{request{method: "POST", path: "/orders/EF111111/refunds", key: "r1", body: `{"amount": 10, "reason": "late"}`},
				reply{Status: 201, Body: refundBody("RF-1001", "EF111111", 10, "late")}},
			{request{method: "POST", path: "/orders/EF111111/refunds", key: "r1", body: `{"amount": 11, "reason": "late"}`},
				reply{Status: 422, Code: "idempotency_key_reused"}},
			{request{method: "POST", path: "/orders/JK500000/refunds", key: "r1", body: `{"amount": 10, "reason": "late"}`},
				reply{Status: 422, Code: "idempotency_key_reused"}},
			{request{method: "PUT", path: "/orders/CD654321/address", key: "r1", body: `{"address": "12 Nanjing Road, Shanghai"}`},
				reply{Status: 422, Code: "idempotency_key_reused"}},
		}},
		{name: "a rejection is replayed too, even after the order changed", steps: []step{
			{request{method: "POST", path: "/orders/GH500000/refunds", key: "big", body: `{"amount": 600, "reason": "x"}`},
				reply{Status: 422, Code: "rejected"}},
			{request{method: "POST", path: "/orders/GH500000/refunds", key: "big", body: `{"amount": 600, "reason": "x"}`},
				reply{Status: 422, Replayed: "true", Code: "rejected"}},
		}},
		{name: "address changes are idempotent with a key", steps: []step{
			{request{method: "PUT", path: "/orders/CD654321/address", key: "addr", body: `{"address": "12 Nanjing Road, Shanghai"}`},
				reply{Status: 200, Body: map[string]any{"order_id": "CD654321", "status": "updated", "address": "12 Nanjing Road, Shanghai"}}},
			{request{method: "PUT", path: "/orders/CD654321/address", key: "addr", body: `{"address": "12 Nanjing Road, Shanghai"}`},
				reply{Status: 200, Replayed: "true", Body: map[string]any{"order_id": "CD654321", "status": "updated", "address": "12 Nanjing Road, Shanghai"}}},
			{request{method: "PUT", path: "/orders/CD654321/address", key: "addr", body: `{"address": "99 Other Road, Shanghai"}`},
				reply{Status: 422, Code: "idempotency_key_reused"}},
		}},
		{name: "tickets are idempotent with a key and fetchable", steps: []step{
			{request{method: "POST", path: "/tickets", key: "t", body: `{"subject": "Refund review", "queue": "refund_review"}`},
				reply{Status: 201, Body: map[string]any{"ticket": map[string]any{"id": "TK-1001", "subject": "Refund review", "queue": "refund_review", "priority": "normal", "customer_id": "", "status": "open", "created_at": "2026-11-21T09:30:00Z"}}}},
			{request{method: "POST", path: "/tickets", key: "t", body: `{"subject": "Refund review", "queue": "refund_review"}`},
				reply{Status: 201, Replayed: "true", Body: map[string]any{"ticket": map[string]any{"id": "TK-1001", "subject": "Refund review", "queue": "refund_review", "priority": "normal", "customer_id": "", "status": "open", "created_at": "2026-11-21T09:30:00Z"}}}},
			{request{method: "POST", path: "/tickets", body: `{"subject": "Refund review", "queue": "refund_review"}`},
				reply{Status: 201, Body: map[string]any{"ticket": map[string]any{"id": "TK-1002", "subject": "Refund review", "queue": "refund_review", "priority": "normal", "customer_id": "", "status": "open", "created_at": "2026-11-21T09:30:00Z"}}}},
			{request{method: "GET", path: "/tickets/TK-1001"},
				reply{Status: 200, Body: map[string]any{"ticket": map[string]any{"id": "TK-1001", "subject": "Refund review", "queue": "refund_review", "priority": "normal", "customer_id": "", "status": "open", "created_at": "2026-11-21T09:30:00Z"}}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ts := startServer(t, Options{})
			for i, s := range tt.steps {
				got := do(t, ts.URL, s.req)
				if diff := cmp.Diff(s.want, got, cmp.AllowUnexported(reply{}), cmp.FilterPath(func(p cmp.Path) bool {
					return p.Last().String() == ".message"
				}, cmp.Ignore())); diff != "" {
					t.Fatalf("step %d: %s %s (-want +got):\n%s\nmessage: %s", i, s.req.method, s.req.path, diff, got.message)
				}
			}
		})
	}
}

func TestStatsCountRequestsAndReplays(t *testing.T) {
	srv, ts := startServer(t, Options{})
	refund := request{method: "POST", path: "/orders/AB123456/refunds", key: "k", body: `{"amount": 10, "reason": "x"}`}
	do(t, ts.URL, refund)
	do(t, ts.URL, refund)
	do(t, ts.URL, request{method: "GET", path: "/orders/AB123456"})
	do(t, ts.URL, request{method: "PUT", path: "/orders/CD654321/address", body: `{"address": "12 Nanjing Road, Shanghai"}`})
	do(t, ts.URL, request{method: "POST", path: "/tickets", body: `{"subject": "x", "queue": "general"}`})
	do(t, ts.URL, request{method: "GET", path: "/missing"})

	want := Stats{
		RefundsApplied: map[string]int{"AB123456": 1},
		AddressUpdates: map[string]int{"CD654321": 1},
		TicketsCreated: 1,
		Requests: map[string]int{
			"POST /orders/{id}/refunds": 2, "GET /orders/{id}": 1, "PUT /orders/{id}/address": 1,
			"POST /tickets": 1, "unmatched": 1,
		},
		IdempotentReplays: 1,
	}
	if diff := cmp.Diff(want, srv.Stats()); diff != "" {
		t.Errorf("Stats() (-want +got):\n%s", diff)
	}
}

// TestConcurrentDuplicateRefunds fires the same refund from many goroutines at
// once, as a client retrying aggressively would: it must apply exactly once.
func TestConcurrentDuplicateRefunds(t *testing.T) {
	srv, ts := startServer(t, Options{})
	const n = 20
	replies := make([]reply, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			got, err := send(t.Context(), t, http.DefaultClient, ts.URL,
				request{method: "POST", path: "/orders/CD654321/refunds", key: "same-key", body: `{"amount": 1280, "reason": "cancelled"}`})
			if err != nil {
				t.Errorf("request %d: %v", i, err)
			}
			replies[i] = got
		})
	}
	wg.Wait()

	want := refundBody("RF-1001", "CD654321", 1280, "cancelled")
	replayed := 0
	for i, got := range replies {
		if diff := cmp.Diff(reply{Status: 201, Replayed: got.Replayed, Body: want}, got, cmp.AllowUnexported(reply{})); diff != "" {
			t.Errorf("request %d (-want +got):\n%s", i, diff)
		}
		if got.Replayed == "true" {
			replayed++
		}
	}
	if replayed != n-1 {
		t.Errorf("%d replies were replays, want %d", replayed, n-1)
	}
	st := srv.Stats()
	if diff := cmp.Diff(map[string]int{"CD654321": 1}, st.RefundsApplied); diff != "" {
		t.Errorf("refunds applied (-want +got):\n%s", diff)
	}
	if st.IdempotentReplays != n-1 {
		t.Errorf("IdempotentReplays = %d, want %d", st.IdempotentReplays, n-1)
	}
}

// TestConcurrentDistinctRefundsNeverOverRefund races refunds with different
// keys: together they must never exceed the order total.
func TestConcurrentDistinctRefundsNeverOverRefund(t *testing.T) {
	srv, ts := startServer(t, Options{})
	const n = 20 // 20 x 100 against a total of 1280: 12 fit
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			got, err := send(t.Context(), t, http.DefaultClient, ts.URL,
				request{method: "POST", path: "/orders/CD654321/refunds", key: fmt.Sprintf("key-%d", i), body: `{"amount": 100}`})
			if err != nil {
				t.Errorf("request %d: %v", i, err)
			}
			statuses[i] = got.Status
		})
	}
	wg.Wait()

	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if diff := cmp.Diff(map[int]int{201: 12, 422: 8}, count); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	got := do(t, ts.URL, request{method: "GET", path: "/orders/CD654321"})
	if refunded := got.Body["order"].(map[string]any)["refunded"]; refunded != 1200.0 {
		t.Errorf("refunded = %v, want 1200", refunded)
	}
	if diff := cmp.Diff(map[string]int{"CD654321": 12}, srv.Stats().RefundsApplied); diff != "" {
		t.Errorf("refunds applied (-want +got):\n%s", diff)
	}
}

// waitFor polls cond until it holds; it bounds a wait, it does not time anything.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestRetryAfterTimeoutThatSucceeded is the case idempotency exists for: the
// server commits the refund, the answer is slow, the client times out and
// retries with the same key, and gets the original refund back.
func TestRetryAfterTimeoutThatSucceeded(t *testing.T) {
	srv, ts := startServer(t, Options{})
	srv.InjectFault(Fault{Method: "POST", Path: "/orders/AB123456/refunds", LatencyMS: 60_000, AfterCommit: true, Times: 1})
	refund := request{method: "POST", path: "/orders/AB123456/refunds", key: "retry-me", body: `{"amount": 320, "reason": "lost parcel"}`}

	impatient := &http.Client{Timeout: 300 * time.Millisecond}
	if _, err := send(t.Context(), t, impatient, ts.URL, refund); !isTimeout(err) {
		t.Fatalf("first attempt: got error %v, want a client timeout", err)
	}
	// The first request's bytes were sent, so the server commits it even if it
	// only reads them after the client gave up.
	waitFor(t, "the first attempt to commit", func() bool { return srv.Stats().RefundsApplied["AB123456"] == 1 })

	got, err := send(t.Context(), t, impatient, ts.URL, refund)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	want := reply{Status: 201, Replayed: "true", Body: refundBody("RF-1001", "AB123456", 320, "lost parcel")}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(reply{})); diff != "" {
		t.Errorf("retry (-want +got):\n%s", diff)
	}
	st := srv.Stats()
	if diff := cmp.Diff(map[string]int{"AB123456": 1}, st.RefundsApplied); diff != "" {
		t.Errorf("refunds applied (-want +got):\n%s", diff)
	}
	if st.IdempotentReplays != 1 || st.FaultsTriggered != 1 {
		t.Errorf("IdempotentReplays = %d, FaultsTriggered = %d, want 1 and 1", st.IdempotentReplays, st.FaultsTriggered)
	}
}

func isTimeout(err error) bool {
	var netErr interface{ Timeout() bool }
	return errors.As(err, &netErr) && netErr.Timeout()
}

// TestLostResponse: the server commits, then answers 503; the retry replays the commit.
func TestLostResponse(t *testing.T) {
	srv, ts := startServer(t, Options{})
	srv.InjectFault(Fault{Path: "/orders/*", Status: 503, AfterCommit: true, Times: 1})
	refund := request{method: "POST", path: "/orders/JK500000/refunds", key: "lost", body: `{"amount": 5000, "reason": "x"}`}

	if diff := cmp.Diff(reply{Status: 503, Code: "unavailable"}, do(t, ts.URL, refund), cmp.AllowUnexported(reply{}), cmp.FilterPath(func(p cmp.Path) bool {
		return p.Last().String() == ".message"
	}, cmp.Ignore())); diff != "" {
		t.Errorf("first attempt (-want +got):\n%s", diff)
	}
	want := reply{Status: 201, Replayed: "true", Body: refundBody("RF-1001", "JK500000", 5000, "x")}
	if diff := cmp.Diff(want, do(t, ts.URL, refund), cmp.AllowUnexported(reply{})); diff != "" {
		t.Errorf("retry (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"JK500000": 1}, srv.Stats().RefundsApplied); diff != "" {
		t.Errorf("refunds applied (-want +got):\n%s", diff)
	}
}

// TestClientGivesUpBeforeCommit: latency before the work, the client leaves,
// nothing is applied; the retry then applies once, fresh.
func TestClientGivesUpBeforeCommit(t *testing.T) {
	srv, ts := startServer(t, Options{})
	srv.InjectFault(Fault{Method: "POST", Path: "/orders/AB123456/refunds", LatencyMS: 60_000, Times: 1})
	refund := request{method: "POST", path: "/orders/AB123456/refunds", key: "early", body: `{"amount": 5, "reason": "x"}`}

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := send(ctx, t, http.DefaultClient, ts.URL, refund)
		done <- err
	}()
	waitFor(t, "the request to reach the injected latency", func() bool { return srv.Stats().FaultsTriggered == 1 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("first attempt: got %v, want context.Canceled", err)
	}

	ts.Close() // waits for the abandoned request's handler to return
	if diff := cmp.Diff(map[string]int{}, srv.Stats().RefundsApplied); diff != "" {
		t.Fatalf("refunds applied by the abandoned request (-want +got):\n%s", diff)
	}

	retryServer := httptest.NewServer(srv)
	defer retryServer.Close()
	want := reply{Status: 201, Body: refundBody("RF-1001", "AB123456", 5, "x")}
	if diff := cmp.Diff(want, do(t, retryServer.URL, refund), cmp.AllowUnexported(reply{})); diff != "" {
		t.Errorf("retry (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"AB123456": 1}, srv.Stats().RefundsApplied); diff != "" {
		t.Errorf("refunds applied (-want +got):\n%s", diff)
	}
}

func TestFaults(t *testing.T) {
	refund := func(key string) request {
		return request{method: "POST", path: "/orders/EF111111/refunds", key: key, body: `{"amount": 1, "reason": "x"}`}
	}
	getOrder := request{method: "GET", path: "/orders/EF111111"}
	tests := []struct {
		name        string
		faults      []Fault
		reqs        []request
		wantStatus  []int
		wantApplied map[string]int
	}{
		{
			name:        "status fault applies Times times without doing the work, and a retry with the same key then succeeds",
			faults:      []Fault{{Method: "POST", Path: "/orders/EF111111/refunds", Status: 503, Times: 2}},
			reqs:        []request{refund("k"), refund("k"), refund("k"), refund("k")},
			wantStatus:  []int{503, 503, 201, 201},
			wantApplied: map[string]int{"EF111111": 1},
		},
		{
			name:        "Times 0 lasts until cleared",
			faults:      []Fault{{Path: "/orders/EF111111/refunds", Status: 500}},
			reqs:        []request{refund("a"), refund("b"), refund("c")},
			wantStatus:  []int{500, 500, 500},
			wantApplied: map[string]int{},
		},
		{
			name:        "prefix match",
			faults:      []Fault{{Path: "/orders/*", Status: 502, Times: 1}},
			reqs:        []request{getOrder, getOrder, {method: "GET", path: "/healthz"}},
			wantStatus:  []int{502, 200, 200},
			wantApplied: map[string]int{},
		},
		{
			name:        "method must match",
			faults:      []Fault{{Method: "GET", Path: "/orders/EF111111/refunds", Status: 503}},
			reqs:        []request{refund("k")},
			wantStatus:  []int{201},
			wantApplied: map[string]int{"EF111111": 1},
		},
		{
			name: "the first matching fault wins",
			faults: []Fault{
				{Path: "/orders/EF111111", Status: 500, Times: 1},
				{Path: "/orders/*", Status: 503, Times: 1},
			},
			reqs:        []request{getOrder, getOrder, getOrder},
			wantStatus:  []int{500, 503, 200},
			wantApplied: map[string]int{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, ts := startServer(t, Options{})
			for _, f := range tt.faults {
				srv.InjectFault(f)
			}
			var statuses []int
			for _, req := range tt.reqs {
				got := do(t, ts.URL, req)
				statuses = append(statuses, got.Status)
				if got.Status >= 500 && got.Code != "unavailable" {
					t.Errorf("fault answered code %q, want unavailable", got.Code)
				}
			}
			if diff := cmp.Diff(tt.wantStatus, statuses); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantApplied, srv.Stats().RefundsApplied); diff != "" {
				t.Errorf("refunds applied (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInjectFaultRejectsInvalidFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault Fault
		want  string
	}{
		{"no path", Fault{Status: 500}, `"path" must start with "/"`},
		{"admin path", Fault{Path: "/_stats", Status: 500}, "admin"},
		{"status out of range", Fault{Path: "/x", Status: 200}, `"status" must be between 400 and 599`},
		{"negative latency", Fault{Path: "/x", LatencyMS: -1}, `"latency_ms"`},
		{"negative times", Fault{Path: "/x", Status: 500, Times: -1}, `"times"`},
		{"does nothing", Fault{Path: "/x"}, `needs "status" or "latency_ms"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.fault.validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("validate() = %v, want an error containing %q", err, tt.want)
			}
			defer func() {
				if recover() == nil {
					t.Errorf("InjectFault did not panic")
				}
			}()
			New(Options{}).InjectFault(tt.fault)
		})
	}
}

func TestReset(t *testing.T) {
	srv, ts := startServer(t, Options{})
	refund := request{method: "POST", path: "/orders/AB123456/refunds", key: "k", body: `{"amount": 320, "reason": "x"}`}
	do(t, ts.URL, refund)
	do(t, ts.URL, request{method: "PUT", path: "/orders/CD654321/address", body: `{"address": "12 Nanjing Road, Shanghai"}`})
	do(t, ts.URL, request{method: "POST", path: "/tickets", body: `{"subject": "x", "queue": "general"}`})
	srv.InjectFault(Fault{Path: "/healthz", Status: 503})

	srv.Reset()

	if diff := cmp.Diff(Stats{RefundsApplied: map[string]int{}, AddressUpdates: map[string]int{}, Requests: map[string]int{}}, srv.Stats()); diff != "" {
		t.Errorf("Stats() after Reset (-want +got):\n%s", diff)
	}
	tests := []struct {
		req  request
		want reply
	}{
		{request{method: "GET", path: "/healthz"}, reply{Status: 200, Body: map[string]any{"status": "ok"}}},
		{request{method: "GET", path: "/orders/CD654321"}, reply{Status: 200, Body: orderBody("CD654321", "processing", "", "2026-11-28", 1280, 0, "bo@example.com", "C1002", "1 Jianguomenwai Street, Chaoyang, Beijing")}},
		{request{method: "GET", path: "/tickets/TK-1001"}, reply{Status: 404, Code: "not_found"}},
		// The key is forgotten and the refund counter restarts: the same request applies afresh.
		{refund, reply{Status: 201, Body: refundBody("RF-1001", "AB123456", 320, "x")}},
	}
	for _, tt := range tests {
		got := do(t, ts.URL, tt.req)
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(reply{}), cmp.FilterPath(func(p cmp.Path) bool {
			return p.Last().String() == ".message"
		}, cmp.Ignore())); diff != "" {
			t.Errorf("%s %s after Reset (-want +got):\n%s", tt.req.method, tt.req.path, diff)
		}
	}
}

// TestAdminEndpoints drives faults, stats and reset over HTTP, as a demo would.
func TestAdminEndpoints(t *testing.T) {
	_, ts := startServer(t, Options{Faults: true})
	refund := request{method: "POST", path: "/orders/AB123456/refunds", key: "k", body: `{"amount": 20, "reason": "x"}`}
	ignoreMessage := cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".message" }, cmp.Ignore())
	steps := []struct {
		req  request
		want reply
	}{
		{request{method: "POST", path: "/_faults", body: `{"method": "post", "path": "/orders/AB123456/refunds", "status": 503, "times": 1}`},
			reply{Status: 201, Body: map[string]any{
				"fault":  map[string]any{"method": "post", "path": "/orders/AB123456/refunds", "status": 503.0, "times": 1.0},
				"faults": []any{map[string]any{"method": "POST", "path": "/orders/AB123456/refunds", "status": 503.0, "times": 1.0}},
			}}},
		{request{method: "POST", path: "/_faults", body: `{"path": "/healthz", "latency_ms": 1}`},
			reply{Status: 201, Body: map[string]any{
				"fault": map[string]any{"path": "/healthz", "latency_ms": 1.0},
				"faults": []any{
					map[string]any{"method": "POST", "path": "/orders/AB123456/refunds", "status": 503.0, "times": 1.0},
					map[string]any{"path": "/healthz", "latency_ms": 1.0},
				},
			}}},
		{request{method: "POST", path: "/_faults", body: `{"path": "/x", "status": 200}`}, reply{Status: 400, Code: "invalid"}},
		{request{method: "POST", path: "/_faults", body: `{"path": "/x", "status": 500, "retries": 2}`}, reply{Status: 400, Code: "invalid"}},
		{refund, reply{Status: 503, Code: "unavailable"}},
		{refund, reply{Status: 201, Body: refundBody("RF-1001", "AB123456", 20, "x")}},
		{request{method: "GET", path: "/_faults"},
			reply{Status: 200, Body: map[string]any{"faults": []any{map[string]any{"path": "/healthz", "latency_ms": 1.0}}}}},
		{request{method: "DELETE", path: "/_faults"}, reply{Status: 200, Body: map[string]any{"cleared": 1.0}}},
		{request{method: "GET", path: "/_faults"}, reply{Status: 200, Body: map[string]any{"faults": []any{}}}},
		{request{method: "GET", path: "/_stats"},
			reply{Status: 200, Body: map[string]any{
				"refunds_applied": map[string]any{"AB123456": 1.0}, "address_updates": map[string]any{}, "tickets_created": 0.0,
				"requests": map[string]any{"POST /orders/{id}/refunds": 2.0}, "idempotent_replays": 0.0, "faults_triggered": 1.0,
			}}},
		{request{method: "POST", path: "/_reset"}, reply{Status: 200, Body: map[string]any{"status": "reset"}}},
		{request{method: "GET", path: "/_stats"},
			reply{Status: 200, Body: map[string]any{
				"refunds_applied": map[string]any{}, "address_updates": map[string]any{}, "tickets_created": 0.0,
				"requests": map[string]any{}, "idempotent_replays": 0.0, "faults_triggered": 0.0,
			}}},
	}
	for i, s := range steps {
		got := do(t, ts.URL, s.req)
		if diff := cmp.Diff(s.want, got, cmp.AllowUnexported(reply{}), ignoreMessage); diff != "" {
			t.Fatalf("step %d: %s %s (-want +got):\n%s\nmessage: %s", i, s.req.method, s.req.path, diff, got.message)
		}
	}
}
