package connectors_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/connectors/connectortest"
)

// This file is the complete connector docs/connectors.md walks through. The
// regions between the example markers are copied into the guide verbatim, and
// TestDocsExampleInSync (docs_test.go) fails when they differ.

// example:begin

// LoyaltyDriver is the "loyalty" connector type: the company's loyalty CRM, a
// small JSON API. Its operations are written in Go, so analysts only declare
// where the CRM is; `parley validate` still type-checks every call to them.
type LoyaltyDriver struct{}

// Spec declares the connector block's settings. Operation blocks take none of
// their own (nil), only Parley's: timeout, idempotent, description.
func (LoyaltyDriver) Spec() connectors.Spec {
	return connectors.Spec{Connector: hcldec.ObjectSpec{
		"base_url":    &hcldec.AttrSpec{Name: "base_url", Type: cty.String, Required: true},
		"api_key_env": &hcldec.AttrSpec{Name: "api_key_env", Type: cty.String, Required: true},
	}}
}

// Operations makes LoyaltyDriver a connectors.Declarer: these signatures are what
// `parley validate` checks each call's input and each call.NAME.field against.
func (LoyaltyDriver) Operations(connectors.Config) ([]connectors.Operation, error) {
	customer := connectors.Param{Name: "customer_id", Type: cty.String}
	return []connectors.Operation{{
		Name: "points", Description: "A customer's points balance and tier",
		Inputs: []connectors.Param{customer},
		Output: cty.Object(map[string]cty.Type{"points": cty.Number, "tier": cty.String}),
	}, {
		Name: "redeem", Description: "Turn points into a voucher",
		Inputs: []connectors.Param{customer, {Name: "points", Type: cty.Number}},
		Output: cty.Object(map[string]cty.Type{"voucher": cty.String}),
	}}, nil
}

// Open checks the settings and reads the secret, so a mistake stops the bot
// loading instead of failing a customer's first call. It does no network I/O:
// Health is where reachability is checked.
func (LoyaltyDriver) Open(cfg connectors.Config) (connectors.Connector, error) {
	base := stringSetting(cfg.Settings, "base_url")
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("base_url: %q is not an http(s) URL like \"https://crm.internal\"", base)
	}
	env := stringSetting(cfg.Settings, "api_key_env")
	key := os.Getenv(env)
	if env == "" || key == "" {
		return nil, fmt.Errorf("api_key_env: environment variable %q is not set", env)
	}
	// No client Timeout: the engine puts each attempt's deadline in ctx.
	return &loyalty{base: strings.TrimRight(base, "/"), key: key, client: &http.Client{}}, nil
}

// loyalty is immutable after Open, which makes it safe for concurrent use.
type loyalty struct {
	base, key string
	client    *http.Client
}

// Call makes one request; the engine does timeouts, retries and circuit breaking.
func (c *loyalty) Call(ctx context.Context, req connectors.Request) (connectors.Response, error) {
	if req.Operation != "points" && req.Operation != "redeem" {
		return connectors.Response{}, fmt.Errorf("loyalty: %q: %w", req.Operation, connectors.ErrUnknownOp)
	}
	customer, _ := req.Input["customer_id"].(string)
	if customer == "" {
		return connectors.Response{}, fmt.Errorf("loyalty %s: customer_id is missing: %w", req.Operation, connectors.ErrInvalidInput)
	}
	path := "/customers/" + url.PathEscape(customer)
	if req.Operation == "points" {
		var out struct {
			Points float64 `json:"points"`
			Tier   string  `json:"tier"`
		}
		if err := c.do(ctx, "points", http.MethodGet, path, nil, "", &out); err != nil {
			return connectors.Response{}, err
		}
		return connectors.Response{Data: map[string]any{"points": out.Points, "tier": out.Tier}}, nil
	}
	points, _ := req.Input["points"].(float64)
	if points <= 0 || points != math.Trunc(points) {
		return connectors.Response{}, fmt.Errorf("loyalty redeem: points must be a whole number above 0: %w", connectors.ErrInvalidInput)
	}
	var out struct {
		Voucher string `json:"voucher"`
	}
	body := map[string]any{"points": points}
	if err := c.do(ctx, "redeem", http.MethodPost, path+"/redemptions", body, req.IdempotencyKey, &out); err != nil {
		return connectors.Response{}, err
	}
	return connectors.Response{Data: map[string]any{"voucher": out.Voucher}}, nil
}

// do sends one request and maps the answer to the errors a bot branches on.
// Errors name the operation, not the URL: it holds a customer id.
func (c *loyalty) do(ctx context.Context, op, method, path string, body any, idemKey string, out any) error {
	var payload io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("loyalty %s: encode: %w", op, err)
		}
		payload = bytes.NewReader(b)
	}
	hreq, err := http.NewRequestWithContext(ctx, method, c.base+path, payload)
	if err != nil {
		return fmt.Errorf("loyalty %s: %w", op, err)
	}
	hreq.Header.Set("Authorization", "Bearer "+c.key)
	if idemKey != "" {
		hreq.Header.Set("Idempotency-Key", idemKey) // the CRM answers a repeat with the first result
	}
	resp, err := c.client.Do(hreq)
	switch {
	case ctx.Err() != nil: // the engine's deadline (timeout) or the turn was abandoned
		return fmt.Errorf("loyalty %s: %w", op, ctx.Err())
	case err != nil: // refused, reset, DNS: the CRM is unreachable, a retry may work
		return fmt.Errorf("loyalty %s: %w: %w", op, connectors.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	switch code := resp.StatusCode; {
	case code == http.StatusNotFound:
		return fmt.Errorf("loyalty %s: no such customer: %w", op, connectors.ErrNotFound)
	case code == http.StatusConflict: // e.g. not enough points: an answer, not an outage
		return fmt.Errorf("loyalty %s: refused: %w", op, connectors.ErrRejected)
	case code == http.StatusTooManyRequests || code >= 500: // busy or down: a retry may work
		kind := connectors.ErrUnavailable
		if code == http.StatusTooManyRequests {
			kind = connectors.ErrRateLimited // up, asking us to slow down: the breaker does not count it
		}
		err := fmt.Errorf("loyalty %s: status %d: %w", op, code, kind)
		if wait, ok := connectors.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			err = connectors.RetryAfter(err, wait) // the engine's retries wait as asked
		}
		return err
	case code != http.StatusOK:
		return fmt.Errorf("loyalty %s: unexpected status %d", op, code)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(out); err != nil {
		return fmt.Errorf("loyalty %s: decode answer: %w", op, err)
	}
	return nil
}

// Idempotent tells the engine what it may retry: points is a read, and redeem
// sends the idempotency key the CRM deduplicates by, so a retry can never spend
// a customer's points twice.
func (c *loyalty) Idempotent(operation string) bool {
	return operation == "points" || operation == "redeem"
}

// Health is what readiness checks call; Open never touches the network.
func (c *loyalty) Health(ctx context.Context) error {
	return c.do(ctx, "health", http.MethodGet, "/health", nil, "", &struct{}{})
}

// stringSetting reads one decoded setting. It tolerates the empty Config a test
// may hand Open: no settings at all must give an error, never a panic.
func stringSetting(settings cty.Value, name string) string {
	if settings.IsNull() || !settings.IsKnown() || !settings.Type().IsObjectType() || !settings.Type().HasAttribute(name) {
		return ""
	}
	if v := settings.GetAttr(name); !v.IsNull() && v.IsKnown() && v.Type() == cty.String {
		return v.AsString()
	}
	return ""
}

// example:end

// newCRM starts a stand-in for the loyalty CRM: a real HTTP server with the API's
// behaviour (auth, not found, not enough points, idempotency keys), so the
// connector is tested over the network as it runs in production.
func newCRM(apiKey string) *httptest.Server {
	var mu sync.Mutex
	balance := map[string]float64{"C1": 1200, "C2": 1e9, "C3": 10}
	tiers := map[string]string{"C1": "gold", "C2": "silver", "C3": "bronze"}
	vouchers := map[string]string{} // idempotency key -> voucher issued
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+apiKey {
			http.Error(w, "bad key", http.StatusUnauthorized)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path == "/health" {
			fmt.Fprint(w, `{}`)
			return
		}
		id, redeem := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/customers/"), "/redemptions")
		have, ok := balance[id]
		switch {
		case !ok:
			http.Error(w, "no such customer", http.StatusNotFound)
		case !redeem:
			_ = json.NewEncoder(w).Encode(map[string]any{"points": have, "tier": tiers[id]})
		default:
			key := r.Header.Get("Idempotency-Key")
			if v, seen := vouchers[key]; seen && key != "" {
				_ = json.NewEncoder(w).Encode(map[string]any{"voucher": v})
				return
			}
			var in struct{ Points float64 }
			if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Points > have {
				http.Error(w, "not enough points", http.StatusConflict)
				return
			}
			balance[id] -= in.Points
			v := fmt.Sprintf("V-%d", len(vouchers)+1)
			vouchers[key] = v
			_ = json.NewEncoder(w).Encode(map[string]any{"voucher": v})
		}
	}))
}

// example:begin

func ExampleLoyaltyDriver() {
	crm := newCRM("s3cret")
	defer crm.Close()
	os.Setenv("LOYALTY_API_KEY", "s3cret") // in production, the deployment sets it

	// A test registers on a copy; a real package does it in init with
	// connectors.Register("loyalty", LoyaltyDriver{}).
	reg := connectors.Default.Clone()
	reg.Register("loyalty", LoyaltyDriver{})
	driver, _ := reg.Lookup("loyalty")

	// DecodeHCL reads the block exactly as the bot loader does.
	cfg, diags := connectortest.DecodeHCL(driver, `
connector "crm" {
  type        = "loyalty"
  base_url    = "`+crm.URL+`"
  api_key_env = "LOYALTY_API_KEY"
}`)
	if diags.HasErrors() {
		fmt.Println(diags)
		return
	}
	conn, err := driver.Open(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	call := func(op string, input map[string]any, key string) {
		resp, err := conn.Call(ctx, connectors.Request{Operation: op, Input: input, IdempotencyKey: key})
		if err != nil {
			fmt.Println(op, "failed:", connectors.ErrorCode(err)) // the code the bot sees in call.NAME.error
			return
		}
		fmt.Println(op, resp.Data)
	}
	call("points", map[string]any{"customer_id": "C1"}, "")
	call("redeem", map[string]any{"customer_id": "C1", "points": 500.0}, "conv-7/12")
	call("redeem", map[string]any{"customer_id": "C1", "points": 500.0}, "conv-7/12") // a retry: same voucher
	call("points", map[string]any{"customer_id": "C1"}, "")                           // spent once
	call("redeem", map[string]any{"customer_id": "C3", "points": 500.0}, "conv-8/3")
	call("points", map[string]any{"customer_id": "nobody"}, "")
	// Output:
	// points map[points:1200 tier:gold]
	// redeem map[voucher:V-1]
	// redeem map[voucher:V-1]
	// points map[points:700 tier:gold]
	// redeem failed: rejected
	// points failed: not_found
}

func TestExampleConnectorConformance(t *testing.T) {
	crm := newCRM("s3cret")
	t.Cleanup(crm.Close)
	t.Setenv("LOYALTY_API_KEY", "s3cret")

	cfg := connectortest.ConfigFromHCL(t, LoyaltyDriver{}, `
connector "crm" {
  type        = "loyalty"
  base_url    = "`+crm.URL+`"
  api_key_env = "LOYALTY_API_KEY"
}`)
	connectortest.Exercise(t, LoyaltyDriver{}, cfg, connectortest.Cases{
		{Operation: "points", Input: map[string]any{"customer_id": "C1"}, Want: map[string]any{"points": 1200.0, "tier": "gold"}},
		{Operation: "redeem", Input: map[string]any{"customer_id": "C2", "points": 100.0}}, // must succeed; vouchers differ per key
		{Operation: "points", Input: map[string]any{"customer_id": "nobody"}, WantErr: connectors.ErrNotFound},
		{Operation: "redeem", Input: map[string]any{"customer_id": "C3", "points": 500.0}, WantErr: connectors.ErrRejected},
		{Operation: "redeem", Input: map[string]any{"customer_id": "C1", "points": 1.5}, WantErr: connectors.ErrInvalidInput},
	})
}

// example:end

// TestExampleOpenErrors checks that setting mistakes are reported by Open, naming
// the setting, as the guide promises.
func TestExampleOpenErrors(t *testing.T) {
	t.Setenv("LOYALTY_API_KEY", "s3cret")
	tests := []struct {
		name, baseURL, env, want string
	}{
		{"relative URL", "crm.internal", "LOYALTY_API_KEY", "base_url:"},
		{"unset variable", "https://crm.internal", "NO_SUCH_LOYALTY_KEY", "api_key_env:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := connectortest.ConfigFromHCL(t, LoyaltyDriver{}, fmt.Sprintf(`
connector "crm" {
  type        = "loyalty"
  base_url    = %q
  api_key_env = %q
}`, tc.baseURL, tc.env))
			_, err := LoyaltyDriver{}.Open(cfg)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("Open error = %v, want one starting %q", err, tc.want)
			}
		})
	}
	if _, diags := connectortest.DecodeHCL(LoyaltyDriver{}, `connector "crm" { type = "loyalty" }`); !diags.HasErrors() {
		t.Error("a block without base_url decoded without errors; the spec marks it required")
	}
}
