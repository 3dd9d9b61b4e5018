package httpconn_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/connectors/connectortest"
	"github.com/parleyhq/parley/connectors/httpconn"
	"github.com/parleyhq/parley/examples/shop/backend"
)

// shopConnector is the shop bot's connector as an analyst would write it,
// pointed at the example backend.
func shopConnector(url string) string {
	return `
connector "shop" {
  type     = "http"
  base_url = "` + url + `"
  timeout  = "3s"
  headers  = { "X-Client" = "parley" }

  operation "get_order" {
    input  = { order_id = string }
    output = { status = string, carrier = string, eta = string, total = number, email = string }
    method = "GET"
    path   = "/orders/{order_id}"
    result = { status = "order.status", carrier = "order.carrier", eta = "order.eta", total = "order.total", email = "order.email" }
  }

  operation "find_customer" {
    input  = { email = optional(string), phone = optional(string) }
    output = { id = string, name = string, vip = bool }
    path   = "/customers"
    query  = { email = "{email}", phone = "{phone}" }
    result = { id = "customer.id", name = "customer.name", vip = "customer.vip" }
  }

  operation "update_address" {
    input  = { order_id = string, address = string }
    output = { status = string }
    method = "PUT"
    path   = "/orders/{order_id}/address"
  }

  operation "refund" {
    input    = { order_id = string, amount = number, reason = optional(string) }
    output   = { refund_id = string, status = string, amount = number }
    method   = "POST"
    path     = "/orders/{order_id}/refunds"
    body     = { amount = "{amount}", reason = "{reason}" }
    result   = { refund_id = "refund.id", status = "refund.status", amount = "refund.amount" }
    rejected = [409, 422]
  }
}`
}

func startShop(t testing.TB) (*backend.Server, *httptest.Server) {
	t.Helper()
	shop := backend.New(backend.Options{Faults: true})
	srv := httptest.NewServer(shop)
	t.Cleanup(srv.Close)
	return shop, srv
}

func TestConformanceShopBackend(t *testing.T) {
	_, srv := startShop(t)
	cfg := connectortest.ConfigFromHCL(t, httpconn.Driver{}, shopConnector(srv.URL))
	connectortest.Exercise(t, httpconn.Driver{}, cfg, connectortest.Cases{
		{Operation: "get_order", Input: map[string]any{"order_id": "AB123456"}, Want: map[string]any{
			"status": "shipped", "carrier": "SF Express", "eta": "2026-11-25", "total": 320.0, "email": "ann@example.com",
		}},
		{Operation: "get_order", Input: map[string]any{"order_id": "ZZ999999"}, WantErr: connectors.ErrNotFound},
		{Operation: "get_order", Input: map[string]any{"order_id": "nope"}, WantErr: connectors.ErrInvalidInput},
		{Operation: "find_customer", Input: map[string]any{"email": "ann@example.com"}, Want: map[string]any{"id": "C1001", "name": "Ann", "vip": true}},
		{Operation: "find_customer", Input: map[string]any{"email": nil, "phone": "+86 139-0000-0002"}, Want: map[string]any{"id": "C1002", "name": "Bo", "vip": false}},
		{Operation: "find_customer", Input: map[string]any{"email": "nobody@example.com"}, WantErr: connectors.ErrNotFound},
		{Operation: "update_address", Input: map[string]any{"order_id": "CD654321", "address": "2 Nanjing Road, Huangpu, Shanghai"}, Want: map[string]any{"status": "updated"}},
		{Operation: "update_address", Input: map[string]any{"order_id": "AB123456", "address": "2 Nanjing Road, Huangpu, Shanghai"}, WantErr: connectors.ErrRejected},
	})
}

// TestShopRefunds checks the write path end to end: the idempotency key makes a
// retried refund one refund, and the backend's refusals reach the bot as codes.
func TestShopRefunds(t *testing.T) {
	shop, srv := startShop(t)
	c := open(t, shopConnector(srv.URL))
	ctx := context.Background()
	refund := func(key string, amount float64) (map[string]any, error) {
		resp, err := c.Call(ctx, connectors.Request{Operation: "refund", IdempotencyKey: key,
			Input: map[string]any{"order_id": "CD654321", "amount": amount, "reason": nil}})
		return resp.Data, err
	}

	first, err := refund("conv-1/turn-3/refund", 100)
	if err != nil {
		t.Fatalf("refund: %v", err)
	}
	again, err := refund("conv-1/turn-3/refund", 100) // the engine's retry after a lost answer
	if err != nil {
		t.Fatalf("retried refund: %v", err)
	}
	want := map[string]any{"refund_id": "RF-1001", "status": "approved", "amount": 100.0}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("refund (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("retry answered differently (-first +retry):\n%s", diff)
	}
	if got := shop.Stats().RefundsApplied["CD654321"]; got != 1 {
		t.Errorf("refunds applied = %d, want 1", got)
	}

	tests := []struct {
		name    string
		key     string
		amount  float64
		wantErr error
		wantMsg string
	}{
		{"over the refundable amount", "k-over", 5000, connectors.ErrRejected, "exceeds"},
		{"no idempotency key", "", 10, connectors.ErrInvalidInput, "idempotency_key_required"},
		{"key reused for another amount", "conv-1/turn-3/refund", 50, connectors.ErrRejected, "idempotency_key_reused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := refund(tc.key, tc.amount)
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error = %v, want %v containing %q", err, tc.wantErr, tc.wantMsg)
			}
		})
	}
}

// TestShopFaults checks injected backend faults map to retryable codes.
func TestShopFaults(t *testing.T) {
	shop, srv := startShop(t)
	c := open(t, shopConnector(srv.URL))
	shop.InjectFault(backend.Fault{Method: "GET", Path: "/orders/*", Status: 503, Times: 1})
	_, err := call(t, c, "get_order", map[string]any{"order_id": "AB123456"}, "")
	if got := connectors.ErrorCode(err); got != connectors.CodeUnavailable {
		t.Errorf("injected 503: ErrorCode(%v) = %q, want unavailable", err, got)
	}
	if _, err := call(t, c, "get_order", map[string]any{"order_id": "AB123456"}, ""); err != nil {
		t.Errorf("after the fault: %v", err)
	}
}

func BenchmarkGetOrder(b *testing.B) {
	_, srv := startShop(b)
	c := open(b, shopConnector(srv.URL))
	req := connectors.Request{Operation: "get_order", Input: map[string]any{"order_id": "AB123456"}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Call(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}
