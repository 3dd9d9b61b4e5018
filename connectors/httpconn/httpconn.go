// Package httpconn is the built-in "http" connector type: a REST/JSON API
// described entirely in HCL, so a bot can reach an orders system or a CRM
// without Go code.
//
//	connector "shop" {
//	  type         = "http"
//	  base_url     = "http://127.0.0.1:8090"
//	  base_url_env = "SHOP_API_URL"   # when set, replaces base_url
//	  headers      = { "X-Client" = "parley" }
//	  auth { bearer_token_env = "SHOP_API_TOKEN" }
//
//	  operation "get_order" {
//	    input  = { order_id = string }
//	    output = { status = string, total = number }
//	    method = "GET"
//	    path   = "/orders/{order_id}"
//	    result = { status = "order.status", total = "order.total" }
//	  }
//	  operation "refund" {
//	    input  = { order_id = string, amount = number, reason = optional(string) }
//	    output = { refund_id = string }
//	    method = "POST"
//	    path   = "/orders/{order_id}/refunds"
//	    body   = { amount = "{amount}", reason = "{reason}" }
//	    result = { refund_id = "refund.id" }
//	  }
//	}
//
// {name} in path, query and body is replaced by input name's value; in a path it
// is URL-escaped. A body string that is exactly "{name}" keeps the input's type,
// and fields whose inputs are null are left out. Secrets come only from the
// environment. Statuses map to the error codes a bot branches on: not_found,
// rejected, invalid_input, unavailable and timeout.
package httpconn

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/connectors/internal/driverkit"
	"github.com/parleyhq/parley/connectors/internal/placeholder"
)

func init() { connectors.Register("http", Driver{}) }

const (
	// maxBody bounds a response, so a runaway endpoint cannot exhaust memory.
	maxBody = 1 << 20
	// maxErrorMessage bounds the remote error text copied into an error.
	maxErrorMessage = 200
	// maxRedirects to the same host; APIs rarely redirect at all.
	maxRedirects = 5

	defaultIdempotencyHeader = "Idempotency-Key"
	defaultHealthPath        = "/healthz"
	defaultAPIKeyHeader      = "X-Api-Key"
	userAgent                = "parley"
)

var (
	defaultNotFound = []int{http.StatusNotFound}
	defaultRejected = []int{http.StatusConflict, http.StatusUnprocessableEntity}
	methods         = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}
)

// Driver is the http connector type.
type Driver struct{}

// Spec declares the connector's and operations' settings; Parley's own
// (type, timeout, retry, input, output, idempotent...) are read by the loader.
func (Driver) Spec() connectors.Spec {
	str := func(name string) hcldec.Spec { return &hcldec.AttrSpec{Name: name, Type: cty.String} }
	return connectors.Spec{
		Connector: hcldec.ObjectSpec{
			"base_url":           str("base_url"),
			"base_url_env":       str("base_url_env"),
			"headers":            &hcldec.AttrSpec{Name: "headers", Type: cty.Map(cty.String)},
			"idempotency_header": str("idempotency_header"),
			"health_path":        str("health_path"),
			"auth": &hcldec.BlockSpec{TypeName: "auth", Nested: hcldec.ObjectSpec{
				"bearer_token_env": str("bearer_token_env"),
				"api_key_env":      str("api_key_env"),
				"api_key_header":   str("api_key_header"),
			}},
		},
		Operation: hcldec.ObjectSpec{
			"method":    str("method"),
			"path":      &hcldec.AttrSpec{Name: "path", Type: cty.String, Required: true},
			"query":     &hcldec.AttrSpec{Name: "query", Type: cty.Map(cty.String)},
			"body":      &hcldec.AttrSpec{Name: "body", Type: cty.DynamicPseudoType},
			"result":    &hcldec.AttrSpec{Name: "result", Type: cty.Map(cty.String)},
			"not_found": &hcldec.AttrSpec{Name: "not_found", Type: cty.List(cty.Number)},
			"rejected":  &hcldec.AttrSpec{Name: "rejected", Type: cty.List(cty.Number)},
		},
	}
}

// connector is immutable after Open, which is what makes it safe for concurrent use.
type connector struct {
	name              string
	baseURL           string // without a trailing slash
	headers           http.Header
	idempotencyHeader string // "" sends none
	healthPath        string
	ops               map[string]*operation
	client            *http.Client
}

type operation struct {
	name       string
	method     string
	inputs     []connectors.Param // nil: the bot declared none, so any are accepted
	declared   map[string]bool
	pathText   string // the template as written, for errors: it holds no personal data
	path       []placeholder.Part
	pathInputs []string
	query      map[string]placeholder.Template
	body       placeholder.Template // nil: the default body (all inputs) or none
	inURL      map[string]bool      // inputs the path or query sends, left out of the default body
	result     map[string]jsonPath
	whole      bool // no result and no output: the body object is the result
	notFound   []int
	rejected   []int
	idempotent bool
}

// Open checks every setting and compiles the templates, so a mistake is reported
// when the bot loads rather than when a customer first reaches the operation.
// Secrets are read from the environment here, once.
func (Driver) Open(cfg connectors.Config) (connectors.Connector, error) {
	s := cfg.Settings
	c := &connector{name: cfg.Name, headers: http.Header{}, ops: make(map[string]*operation, len(cfg.Operations))}

	base, baseSet := attrString(s, "base_url")
	env, envSet := attrString(s, "base_url_env")
	base, err := baseURL(base, baseSet, env, envSet)
	if err != nil {
		return nil, err
	}
	c.baseURL = base

	c.idempotencyHeader = defaultIdempotencyHeader
	if h, set := attrString(s, "idempotency_header"); set {
		if h != "" && !validHeaderName(h) {
			return nil, fmt.Errorf("idempotency_header: %q is not a valid header name", h)
		}
		c.idempotencyHeader = h
	}
	c.healthPath = defaultHealthPath
	if p, set := attrString(s, "health_path"); set {
		if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "#") {
			return nil, fmt.Errorf("health_path: %q must start with / (it is added to base_url)", p)
		}
		c.healthPath = p
	}

	c.headers.Set("Accept", "application/json")
	c.headers.Set("User-Agent", userAgent)
	if h := driverkit.Attr(s, "headers"); !h.IsNull() && h.IsKnown() {
		for it := h.ElementIterator(); it.Next(); {
			k, v := it.Element()
			name := k.AsString()
			if v.IsNull() || !v.IsKnown() {
				return nil, fmt.Errorf("headers[%q]: value must be a string", name)
			}
			if err := checkStaticHeader(name, v.AsString()); err != nil {
				return nil, fmt.Errorf("headers[%q]: %w", name, err)
			}
			c.headers.Set(name, v.AsString())
		}
	}
	if err := readAuth(driverkit.Attr(s, "auth"), c.headers); err != nil {
		return nil, err
	}

	for _, name := range slices.Sorted(maps.Keys(cfg.Operations)) { // sorted: the first error is deterministic
		op, err := compileOperation(name, cfg.Operations[name], c.idempotencyHeader != "")
		if err != nil {
			return nil, fmt.Errorf("operation %q: %w", name, err)
		}
		c.ops[name] = op
	}

	transport := http.DefaultTransport.(*http.Transport).Clone()
	// Turns call the API concurrently (hundreds at a time under load): with
	// few idle connections kept, each burst dialed new ones and closed them
	// again, a TCP handshake and a TIME_WAIT socket per call on both sides.
	transport.MaxIdleConns = maxIdleConns
	transport.MaxIdleConnsPerHost = maxIdleConns
	transport.IdleConnTimeout = 90 * time.Second
	c.client = &http.Client{
		Transport: transport,
		// No Timeout: the engine's ctx carries each attempt's deadline.
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			// Go forwards custom headers (an API key) on redirect, so only the
			// same host is followed; anything else comes back as the 3xx itself.
			if len(via) >= maxRedirects || req.URL.Host != via[0].URL.Host {
				return http.ErrUseLastResponse
			}
			return nil
		},
	}
	return c, nil
}

// maxIdleConns bounds the connections kept open to the API between calls.
const maxIdleConns = 256

// baseURL picks base_url_env's value when that variable is set, else base_url,
// and checks it is an absolute http(s) URL without credentials or a query.
func baseURL(base string, baseSet bool, env string, envSet bool) (string, error) {
	what := "base_url"
	if envSet {
		if !validEnvName(env) {
			return "", fmt.Errorf("base_url_env: %q is not a valid environment variable name", env)
		}
		if v := os.Getenv(env); v != "" {
			base, baseSet, what = v, true, fmt.Sprintf("base_url_env (environment variable %s)", env)
		}
	}
	if !baseSet || base == "" {
		if envSet {
			return "", fmt.Errorf("base_url is not set and environment variable %s (base_url_env) is empty or not set", env)
		}
		return "", errors.New("base_url is required: the API's address, like \"https://orders.internal\"")
	}
	u, err := url.Parse(base)
	switch {
	case err != nil:
		return "", fmt.Errorf("%s: %q is not a URL: %w", what, base, err)
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		return "", fmt.Errorf("%s: %q must be an absolute http or https URL, like \"https://orders.internal\"", what, base)
	case u.User != nil:
		return "", fmt.Errorf("%s: must not hold credentials; use an auth block reading them from the environment", what)
	case u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(base, "?"):
		return "", fmt.Errorf("%s: %q must not have a query or fragment; use each operation's query", what, base)
	}
	return strings.TrimRight(base, "/"), nil
}

// readAuth adds the auth block's header, reading its secret from the environment.
func readAuth(auth cty.Value, headers http.Header) error {
	if auth.IsNull() || !auth.IsKnown() {
		return nil
	}
	bearerEnv, bearerSet := attrString(auth, "bearer_token_env")
	keyEnv, keySet := attrString(auth, "api_key_env")
	keyHeader, keyHeaderSet := attrString(auth, "api_key_header")
	switch {
	case bearerSet && keySet:
		return errors.New("auth: set bearer_token_env or api_key_env, not both")
	case !bearerSet && !keySet:
		return errors.New("auth: set bearer_token_env or api_key_env, naming the environment variable that holds the secret")
	case keyHeaderSet && !keySet:
		return errors.New("auth.api_key_header: needs api_key_env")
	}
	secret := func(attr, env string) (string, error) {
		if !validEnvName(env) {
			return "", fmt.Errorf("auth.%s: %q is not a valid environment variable name", attr, env)
		}
		v, ok := os.LookupEnv(env)
		switch {
		case !ok:
			return "", fmt.Errorf("auth.%s: environment variable %s is not set", attr, env)
		case strings.TrimSpace(v) == "":
			return "", fmt.Errorf("auth.%s: environment variable %s is empty", attr, env)
		case strings.ContainsAny(v, "\r\n\x00"):
			return "", fmt.Errorf("auth.%s: environment variable %s holds a line break", attr, env)
		}
		return strings.TrimSpace(v), nil
	}
	if bearerSet {
		token, err := secret("bearer_token_env", bearerEnv)
		if err != nil {
			return err
		}
		headers.Set("Authorization", "Bearer "+token)
		return nil
	}
	if !keyHeaderSet {
		keyHeader = defaultAPIKeyHeader
	}
	if !validHeaderName(keyHeader) {
		return fmt.Errorf("auth.api_key_header: %q is not a valid header name", keyHeader)
	}
	key, err := secret("api_key_env", keyEnv)
	if err != nil {
		return err
	}
	headers.Set(keyHeader, key)
	return nil
}

func checkStaticHeader(name, value string) error {
	switch {
	case !validHeaderName(name):
		return errors.New("not a valid header name")
	case strings.EqualFold(name, "Authorization") || strings.EqualFold(name, "Proxy-Authorization"):
		return errors.New("secrets must not be written in the bot; use an auth block reading them from the environment")
	case strings.ContainsAny(value, "\r\n\x00"):
		return errors.New("value must not hold line breaks")
	}
	return nil
}

func compileOperation(name string, oc connectors.OperationConfig, idempotencyHeader bool) (*operation, error) {
	s := oc.Settings
	op := &operation{name: name, inputs: oc.Inputs, declared: make(map[string]bool, len(oc.Inputs)), inURL: map[string]bool{}}
	optional := map[string]bool{}
	for _, p := range oc.Inputs {
		op.declared[p.Name] = true
		optional[p.Name] = p.Optional
	}

	op.method = http.MethodGet
	if m, set := attrString(s, "method"); set {
		op.method = strings.ToUpper(m)
		if !slices.Contains(methods, op.method) {
			return nil, fmt.Errorf("method: %q is not one of %s", m, strings.Join(methods, ", "))
		}
	}

	path, set := attrString(s, "path")
	if !set {
		return nil, errors.New("path is required, like \"/orders/{order_id}\"")
	}
	switch {
	case !strings.HasPrefix(path, "/"):
		return nil, fmt.Errorf("path: %q must start with / (it is added to base_url)", path)
	case strings.ContainsAny(path, "?#"):
		return nil, fmt.Errorf("path: %q must not hold ? or #; put query parameters in query", path)
	}
	parts, err := placeholder.Parse(path, op.declared)
	if err != nil {
		return nil, fmt.Errorf("path: %w", err)
	}
	for _, p := range parts {
		if p.Input == "" {
			continue
		}
		if optional[p.Input] {
			return nil, fmt.Errorf("path: placeholder {%s} is an optional input; a path needs every part, so declare it required", p.Input)
		}
		op.pathInputs = append(op.pathInputs, p.Input)
		op.inURL[p.Input] = true
	}
	op.pathText, op.path = path, parts

	if q := driverkit.Attr(s, "query"); !q.IsNull() && q.IsKnown() {
		op.query = map[string]placeholder.Template{}
		for it := q.ElementIterator(); it.Next(); {
			k, v := it.Element()
			if v.IsNull() || !v.IsKnown() {
				return nil, fmt.Errorf("query.%s: value must be a string", k.AsString())
			}
			t, err := placeholder.CompileString(v.AsString(), op.declared, func(name string) { op.inURL[name] = true })
			if err != nil {
				return nil, fmt.Errorf("query.%s: %w", k.AsString(), err)
			}
			op.query[k.AsString()] = t
		}
	}

	if b := driverkit.Attr(s, "body"); !b.IsNull() {
		if op.method == http.MethodGet {
			return nil, errors.New("body: a GET request has no body; use query, or another method")
		}
		decoded, err := connectors.FromCty(b)
		if err != nil {
			return nil, fmt.Errorf("body: %w", err)
		}
		op.body, err = placeholder.Compile(decoded, op.declared, nil)
		if err != nil {
			return nil, fmt.Errorf("body: %w", err)
		}
	}

	var outputFields []string
	if oc.Output.IsObjectType() {
		outputFields = slices.Sorted(maps.Keys(oc.Output.AttributeTypes()))
	}
	op.result = map[string]jsonPath{}
	if r := driverkit.Attr(s, "result"); !r.IsNull() && r.IsKnown() {
		for it := r.ElementIterator(); it.Next(); {
			k, v := it.Element()
			field := k.AsString()
			if outputFields != nil && !slices.Contains(outputFields, field) {
				return nil, fmt.Errorf("result.%s: not a field of output (fields: %s); it could never be read", field, driverkit.ListOrNone(outputFields))
			}
			if v.IsNull() || !v.IsKnown() {
				return nil, fmt.Errorf("result.%s: path must be a string", field)
			}
			jp, err := parsePath(v.AsString())
			if err != nil {
				return nil, fmt.Errorf("result.%s: %w", field, err)
			}
			op.result[field] = jp
		}
	}
	// Output fields result does not map are read by their own name.
	for _, f := range outputFields {
		if _, ok := op.result[f]; !ok {
			op.result[f] = jsonPath{{key: f, index: -1}}
		}
	}
	op.whole = len(op.result) == 0 && outputFields == nil

	if op.notFound, err = statusList(driverkit.Attr(s, "not_found"), defaultNotFound); err != nil {
		return nil, fmt.Errorf("not_found: %w", err)
	}
	if op.rejected, err = statusList(driverkit.Attr(s, "rejected"), defaultRejected); err != nil {
		return nil, fmt.Errorf("rejected: %w", err)
	}
	for _, code := range op.notFound {
		if slices.Contains(op.rejected, code) {
			return nil, fmt.Errorf("status %d is in both not_found and rejected", code)
		}
	}

	switch {
	case oc.Idempotent != nil:
		op.idempotent = *oc.Idempotent
	case op.method == http.MethodPost || op.method == http.MethodPatch:
		op.idempotent = idempotencyHeader
	default:
		op.idempotent = true // GET, PUT and DELETE are idempotent by HTTP's definition
	}
	return op, nil
}

func statusList(v cty.Value, def []int) ([]int, error) {
	if v.IsNull() || !v.IsKnown() {
		return def, nil
	}
	codes := []int{}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() || !e.IsKnown() {
			return nil, errors.New("statuses must be numbers")
		}
		bf := e.AsBigFloat()
		n, acc := bf.Int64()
		if !bf.IsInt() || acc != 0 || n < 100 || n > 599 {
			return nil, fmt.Errorf("%s is not an HTTP status (100 to 599)", bf.Text('g', 10))
		}
		codes = append(codes, int(n))
	}
	return codes, nil
}

// Call makes one request. The engine retries, times out and circuit-breaks
// around it.
func (c *connector) Call(ctx context.Context, req connectors.Request) (connectors.Response, error) {
	op, ok := c.ops[req.Operation]
	if !ok {
		return connectors.Response{}, fmt.Errorf("http %s: %q: %w", c.name, req.Operation, connectors.ErrUnknownOp)
	}
	fail := func(format string, args ...any) (connectors.Response, error) {
		prefix := fmt.Sprintf("http %s.%s: %s %s: ", c.name, op.name, op.method, op.pathText)
		return connectors.Response{}, fmt.Errorf(prefix+format, args...)
	}
	if err := ctx.Err(); err != nil {
		return fail("%w", contextError(err))
	}
	if err := op.checkInput(req.Input); err != nil {
		return fail("%w", err)
	}
	hreq, err := c.newRequest(ctx, op, req)
	if err != nil {
		return fail("%w", err)
	}
	resp, err := c.client.Do(hreq)
	if err != nil {
		return fail("%w", transportError(ctx, err))
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fail("%w", op.statusError(resp))
	}
	body, err := readBody(resp)
	if err != nil {
		return fail("%w", transportError(ctx, err))
	}
	data, err := op.decode(body)
	if err != nil {
		return fail("status %d: %w", resp.StatusCode, err)
	}
	return connectors.Response{Data: data}, nil
}

func (op *operation) checkInput(in map[string]any) error {
	if op.inputs == nil {
		return nil // the bot declared no inputs: nothing to check against
	}
	missing, extra := driverkit.CheckInputs(op.inputs, in)
	switch {
	case len(missing) > 0:
		return fmt.Errorf("missing input %s: %w", strings.Join(missing, ", "), connectors.ErrInvalidInput)
	case len(extra) > 0:
		return fmt.Errorf("undeclared input %s (declared: %s): %w", strings.Join(extra, ", "), driverkit.ListOrNone(slices.Sorted(maps.Keys(op.declared))), connectors.ErrInvalidInput)
	}
	for _, name := range op.pathInputs {
		if placeholder.Format(in[name]) == "" {
			// "/orders/" is another resource (the list), not "no order".
			return fmt.Errorf("input %s is empty, and the path needs it: %w", name, connectors.ErrInvalidInput)
		}
	}
	return nil
}

func (c *connector) newRequest(ctx context.Context, op *operation, req connectors.Request) (*http.Request, error) {
	var u strings.Builder
	u.WriteString(c.baseURL)
	for _, p := range op.path {
		if p.Input == "" {
			u.WriteString(p.Text)
		} else {
			u.WriteString(url.PathEscape(placeholder.Format(req.Input[p.Input])))
		}
	}
	if len(op.query) > 0 {
		q := url.Values{}
		for name, t := range op.query {
			v, ok := render(t, req.Input)
			if !ok {
				continue
			}
			if list, isList := v.([]any); isList { // ids = "{ids}": ?ids=a&ids=b
				for _, e := range list {
					if e != nil {
						q.Add(name, placeholder.Format(e))
					}
				}
				continue
			}
			q.Add(name, placeholder.Format(v))
		}
		if len(q) > 0 {
			u.WriteByte('?')
			u.WriteString(q.Encode())
		}
	}

	var body io.Reader
	switch {
	case op.body != nil:
		v, _ := render(op.body, req.Input)
		b, err := marshal(v)
		if err != nil {
			return nil, fmt.Errorf("encode body: %w", err)
		}
		body = bytes.NewReader(b)
	case op.method == http.MethodPost || op.method == http.MethodPut || op.method == http.MethodPatch:
		// Inputs already in the URL are left out: a strict API rejects unknown fields.
		all := make(map[string]any, len(req.Input))
		for k, v := range req.Input {
			if v != nil && !op.inURL[k] {
				all[k] = v
			}
		}
		b, err := marshal(all)
		if err != nil {
			return nil, fmt.Errorf("encode body: %w", err)
		}
		body = bytes.NewReader(b)
	}

	hreq, err := http.NewRequestWithContext(ctx, op.method, u.String(), body)
	if err != nil {
		// The URL is left out: its query may hold personal data.
		return nil, fmt.Errorf("build request: %w", errors.Unwrap(err))
	}
	hreq.Header = c.headers.Clone()
	if body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if op.method != http.MethodGet && c.idempotencyHeader != "" && req.IdempotencyKey != "" {
		hreq.Header.Set(c.idempotencyHeader, req.IdempotencyKey)
	}
	return hreq, nil
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // "<" and "&" as written: some APIs compare text byte for byte
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// statusError maps a non-2xx answer to the error a bot branches on.
func (op *operation) statusError(resp *http.Response) error {
	code := resp.StatusCode
	msg := errorMessage(resp)
	detail := fmt.Sprintf("status %d", code)
	if msg != "" {
		detail += ": " + msg
	}
	switch {
	case slices.Contains(op.notFound, code):
		return fmt.Errorf("%s: %w", detail, connectors.ErrNotFound)
	case slices.Contains(op.rejected, code):
		return fmt.Errorf("%s: %w", detail, connectors.ErrRejected)
	case code == http.StatusBadRequest:
		return fmt.Errorf("%s: %w", detail, connectors.ErrInvalidInput)
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return fmt.Errorf("%s: the API refused the connector's credentials; check its auth block and environment", detail)
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		err := fmt.Errorf("%s: %w", detail, connectors.ErrUnavailable)
		if code == http.StatusTooManyRequests {
			// Up, and asking for fewer calls: not a failure for the breaker.
			err = fmt.Errorf("%s: %w", detail, connectors.ErrRateLimited)
		}
		if wait, ok := connectors.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			err = connectors.RetryAfter(err, wait)
		}
		return err
	case code >= 300 && code < 400:
		return fmt.Errorf("%s: redirect to another host or too many redirects, not followed", detail)
	}
	return fmt.Errorf("%s: unexpected status", detail)
}

// errorMessage extracts a short message from an error response: the usual JSON
// shapes ({"error":{"code","message"}}, {"message"}, RFC 7807's "detail"), or
// the text itself.
func errorMessage(resp *http.Response) string {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	var msg string
	var v map[string]any
	if json.Unmarshal(raw, &v) == nil {
		str := func(m map[string]any, key string) string { s, _ := m[key].(string); return s }
		switch e := v["error"].(type) {
		case map[string]any:
			msg = str(e, "message")
			if code := str(e, "code"); code != "" {
				msg = strings.TrimSuffix(code+": "+msg, ": ")
			}
		case string:
			msg = e
			if d := str(v, "error_description"); d != "" {
				msg += ": " + d
			}
		}
		for _, key := range []string{"message", "detail", "title"} {
			if msg == "" {
				msg = str(v, key)
			}
		}
		if msg == "" {
			msg = string(raw)
		}
	} else if utf8.Valid(raw) {
		msg = string(raw)
	}
	return truncate(strings.Join(strings.Fields(msg), " "), maxErrorMessage)
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func readBody(resp *http.Response) ([]byte, error) {
	if resp.ContentLength > maxBody {
		return nil, errTooLarge
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read response: %w", err)
	}
	if len(b) > maxBody {
		return nil, errTooLarge
	}
	return b, nil
}

var errTooLarge = fmt.Errorf("response body is larger than %d bytes", maxBody)

// decode turns a 2xx body into the result: the result paths' values, the
// output's fields by name, or the whole object.
func (op *operation) decode(raw []byte) (map[string]any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 { // 204, or an empty 200
		return map[string]any{}, nil
	}
	var body any
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, fmt.Errorf("response is not JSON: %w", err)
	}
	if op.whole {
		obj, ok := body.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("response is %s, not an object; map its fields with result", driverkit.Describe(body))
		}
		return obj, nil // freshly decoded, so the caller's own
	}
	data := make(map[string]any, len(op.result))
	for field, p := range op.result {
		// Copied: two fields may share a path, and results must not share maps.
		data[field] = driverkit.DeepCopy(p.lookup(body))
	}
	return data, nil
}

// contextError says why a call stopped: a deadline is the bot's timeout code.
func contextError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("no answer in time: %w (%w)", connectors.ErrTimeout, err)
	}
	return err
}

// transportError classifies a failure to get an answer. The *url.Error wrapper is
// dropped because it prints the URL, whose query may hold personal data.
func transportError(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return contextError(ctxErr)
	}
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err
	}
	if errors.Is(err, errTooLarge) {
		return err
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuthority) || errors.As(err, &hostname) {
		return fmt.Errorf("TLS: %w", err) // a configuration problem; retrying will not help
	}
	return fmt.Errorf("%w: %w", connectors.ErrUnavailable, err)
}

// Endpoint is the base URL calls go to.
func (c *connector) Endpoint() string { return c.baseURL }

// Health checks that GET base_url + health_path answers 2xx.
func (c *connector) Health(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+c.healthPath, nil)
	if err != nil {
		return fmt.Errorf("http %s: health: %w", c.name, errors.Unwrap(err))
	}
	req.Header = c.headers.Clone()
	resp, err := c.client.Do(req)
	if err != nil {
		return fmt.Errorf("http %s: health GET %s: %w", c.name, c.healthPath, transportError(ctx, err))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		err := fmt.Errorf("status %d", resp.StatusCode)
		switch {
		case resp.StatusCode == http.StatusTooManyRequests:
			err = fmt.Errorf("status %d: %w", resp.StatusCode, connectors.ErrRateLimited)
		case resp.StatusCode >= 500:
			err = fmt.Errorf("status %d: %w", resp.StatusCode, connectors.ErrUnavailable)
		}
		return fmt.Errorf("http %s: health GET %s: %w", c.name, c.healthPath, err)
	}
	return nil
}

// Idempotent reports whether the engine may retry an operation: HTTP's
// idempotent methods, and POST or PATCH when the API is sent an idempotency key
// to deduplicate them, unless the bot says otherwise.
func (c *connector) Idempotent(operation string) bool {
	op, ok := c.ops[operation]
	return ok && op.idempotent
}

// Close drops idle connections. It is safe to call more than once.
func (c *connector) Close() error {
	c.client.CloseIdleConnections()
	return nil
}

// attrString reads a string setting; set is false when it is absent or null.
func attrString(settings cty.Value, name string) (s string, set bool) {
	v := driverkit.Attr(settings, name)
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return "", false
	}
	v, _ = v.Unmark()
	return v.AsString(), true
}

func validEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// validHeaderName checks RFC 9110's token characters.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}
