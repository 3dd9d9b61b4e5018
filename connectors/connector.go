// Package connectors is the contract between Parley and the systems a bot calls
// (orders, CRM, ticketing). Like database/sql drivers, a connector type registers
// itself from init and is opened with the settings a bot declares in HCL.
package connectors

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
)

// Driver is a connector type, such as "fixture", "http" or "sql".
type Driver interface {
	// Spec describes the connector block's own settings and those of each operation
	// block. The policy loader decodes the HCL with them, so mistakes are reported
	// with file and line before anything runs. Either may be nil: no settings.
	Spec() Spec
	// Open makes a ready connector from decoded settings. It must not do network I/O
	// that can fail the bot's load; check reachability in HealthChecker instead.
	Open(cfg Config) (Connector, error)
}

// Spec is what a driver reads from HCL, as hcldec specs. The loader checks a bot's
// connector blocks against them, so `parley validate` reports a misspelt or
// mistyped setting with its file and line.
type Spec struct {
	Connector hcldec.Spec // attributes of the connector block besides type and timeout
	Operation hcldec.Spec // attributes of each operation block besides input and description
}

// Config is a connector block after decoding. Settings is the value Spec.Connector
// decoded (a null or zero Value when the spec is nil); Timeout is the block's
// timeout, which the engine also applies through the ctx given to Call.
type Config struct {
	Name       string
	Settings   cty.Value
	Operations map[string]OperationConfig
	Timeout    time.Duration
}

// OperationConfig is one operation block after decoding: its declared inputs, in
// order, its declared output type, and the value Spec.Operation decoded.
type OperationConfig struct {
	Description string
	Inputs      []Param
	// Output is the object type the bot reads as call.NAME.*; cty.DynamicPseudoType
	// when the block declares none (nothing about the result can be checked then).
	Output cty.Type
	// Idempotent is the block's `idempotent` setting; nil when it is not set and the
	// connector's own judgement (IdempotenceReporter) applies.
	Idempotent *bool
	Settings   cty.Value
}

// InputNames lists the declared inputs' names, in order.
func (oc OperationConfig) InputNames() []string {
	names := make([]string, len(oc.Inputs))
	for i, p := range oc.Inputs {
		names[i] = p.Name
	}
	return names
}

// Param is one declared input of an operation.
type Param struct {
	Name     string
	Type     cty.Type // cty.DynamicPseudoType: any value
	Optional bool
}

// Params declares required inputs of any type, for connectors and tests that
// only care about names.
func Params(names ...string) []Param {
	ps := make([]Param, len(names))
	for i, n := range names {
		ps[i] = Param{Name: n, Type: cty.DynamicPseudoType}
	}
	return ps
}

// Operation is an operation's signature: what `parley validate` checks each call,
// its arguments and every use of its result against.
type Operation struct {
	Name        string
	Description string
	Inputs      []Param
	Output      cty.Type // an object type, or cty.DynamicPseudoType when unknown
}

// Connector calls operations. Implementations must be safe for concurrent use.
type Connector interface {
	Call(ctx context.Context, req Request) (Response, error)
}

// Request is one operation call. IdempotencyKey is stable across retries of the
// same logical call, so a connector can pass it on and a refund is never made twice.
type Request struct {
	Operation      string
	Input          map[string]any // string, float64, bool, nil, []any, map[string]any
	IdempotencyKey string
}

// Response is an operation's result, as an object the bot reads as call.NAME.*.
type Response struct {
	Data map[string]any
}

// Optional capabilities, found by type assertion.
type (
	// HealthChecker reports whether the system behind a connector is reachable.
	HealthChecker interface {
		Health(ctx context.Context) error
	}
	// Closer releases a connector's resources when a bot is unloaded.
	Closer interface {
		Close() error
	}
	// IdempotenceReporter says whether an operation is safe to call again with the
	// same Request: a read, or a write the system deduplicates by IdempotencyKey.
	// The engine retries only such operations; without it, only operations the
	// bot marks `idempotent = true` are retried.
	IdempotenceReporter interface {
		Idempotent(operation string) bool
	}
	// Endpointer says where a connector reaches its system, such as a base URL
	// or a database's host, port and name, never with credentials. Messages use
	// it: "connector orders cannot reach http://127.0.0.1:8090".
	Endpointer interface {
		Endpoint() string
	}
	// Declarer is implemented by drivers that know their operations' signatures
	// themselves (operations written in Go, or outputs inferred from settings)
	// rather than reading them from the bot's operation blocks. The loader
	// type-checks calls against what it returns.
	Declarer interface {
		Operations(cfg Config) ([]Operation, error)
	}
)

// Signatures returns the operations of a connector block: the driver's own when it
// is a Declarer, otherwise what the operation blocks declare.
func Signatures(d Driver, cfg Config) ([]Operation, error) {
	if dec, ok := d.(Declarer); ok {
		return dec.Operations(cfg)
	}
	ops := make([]Operation, 0, len(cfg.Operations))
	for _, name := range sortedKeys(cfg.Operations) {
		oc := cfg.Operations[name]
		out := oc.Output
		if out == cty.NilType {
			out = cty.DynamicPseudoType
		}
		ops = append(ops, Operation{Name: name, Description: oc.Description, Inputs: oc.Inputs, Output: out})
	}
	return ops, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Errors a connector returns, wrapped with detail. The bot sees them as codes in
// call.NAME.error and branches on them with on_not_found, on_rejected,
// on_unavailable, on_timeout and on_error.
var (
	ErrNotFound     = errors.New("not found")
	ErrRejected     = errors.New("rejected") // the system understood and said no (a refund over the limit)
	ErrInvalidInput = errors.New("invalid input")
	ErrUnavailable  = errors.New("unavailable") // the system is down or overloaded: worth retrying
	ErrTimeout      = errors.New("timeout")     // no answer in time; the call may still have happened
	ErrUnknownOp    = errors.New("unknown operation")
	// ErrCircuitOpen is returned without calling when a connector's recent calls
	// failed; it is an ErrUnavailable.
	ErrCircuitOpen = fmt.Errorf("circuit open: %w", ErrUnavailable)
	// ErrRateLimited is the system asking callers to slow down (HTTP 429),
	// with or without a RetryAfter. It is an ErrUnavailable (the bot sees
	// unavailable, and idempotent operations are retried), but the system
	// is up: the circuit breaker does not count it as a failure.
	ErrRateLimited = fmt.Errorf("rate limited: %w", ErrUnavailable)
)

// Error codes, as the bot sees them.
const (
	CodeNotFound     = "not_found"
	CodeRejected     = "rejected"
	CodeInvalidInput = "invalid_input"
	CodeUnavailable  = "unavailable"
	CodeTimeout      = "timeout"
	CodeUnknownOp    = "unknown_operation"
	CodeError        = "error"
)

// ErrorCode maps an error from Call to the short code a bot sees in call.NAME.error.
func ErrorCode(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrNotFound):
		return CodeNotFound
	case errors.Is(err, ErrRejected):
		return CodeRejected
	case errors.Is(err, ErrInvalidInput):
		return CodeInvalidInput
	case errors.Is(err, ErrUnknownOp):
		return CodeUnknownOp
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return CodeTimeout
	case errors.Is(err, ErrUnavailable):
		return CodeUnavailable
	default:
		return CodeError
	}
}

// Registry maps connector type names to drivers.
type Registry struct {
	mu      sync.RWMutex
	drivers map[string]Driver
}

// Default holds the connector types registered from init functions.
var Default = NewRegistry()

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{drivers: map[string]Driver{}} }

// Register adds a driver to the Default registry. It panics on a duplicate name,
// as database/sql does, because that is a programming error found at start.
func Register(name string, d Driver) { Default.Register(name, d) }

// Register adds a driver. It panics on an empty name, a nil driver or a duplicate.
func (r *Registry) Register(name string, d Driver) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if name == "" {
		panic("connectors: Register name is empty")
	}
	if d == nil {
		panic("connectors: Register driver is nil")
	}
	if _, dup := r.drivers[name]; dup {
		panic(fmt.Sprintf("connectors: Register called twice for %q", name))
	}
	r.drivers[name] = d
}

// Lookup returns the driver for a connector type.
func (r *Registry) Lookup(name string) (Driver, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	d, ok := r.drivers[name]
	return d, ok
}

// Names lists the registered types, sorted, for "did you mean" hints.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.drivers))
	for n := range r.drivers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Clone returns an independent copy, so a test can register drivers without
// touching Default.
func (r *Registry) Clone() *Registry {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c := NewRegistry()
	for n, d := range r.drivers {
		c.drivers[n] = d
	}
	return c
}
