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

// OperationConfig is one operation block after decoding: its declared input names,
// in order, and the value Spec.Operation decoded.
type OperationConfig struct {
	Inputs   []string
	Settings cty.Value
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
)

// Errors a connector returns, wrapped with detail. The bot's on_error sees them as codes.
var (
	ErrNotFound     = errors.New("not found")
	ErrInvalidInput = errors.New("invalid input")
	ErrUnavailable  = errors.New("unavailable") // worth retrying
	ErrUnknownOp    = errors.New("unknown operation")
)

// ErrorCode maps an error from Call to the short code a bot sees in call.NAME.error.
func ErrorCode(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrNotFound):
		return "not_found"
	case errors.Is(err, ErrInvalidInput):
		return "invalid_input"
	case errors.Is(err, ErrUnknownOp):
		return "unknown_operation"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, ErrUnavailable):
		return "unavailable"
	default:
		return "error"
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
