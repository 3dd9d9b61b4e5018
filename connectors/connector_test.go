package connectors

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// stubDriver is the smallest Driver: the registry only stores drivers.
type stubDriver struct{ name string }

func (stubDriver) Spec() Spec                     { return Spec{} }
func (stubDriver) Open(Config) (Connector, error) { return nil, errors.New("stub") }

func TestRegisterPanics(t *testing.T) {
	tests := []struct {
		name  string
		reg   func(r *Registry)
		panic string
	}{
		{"duplicate", func(r *Registry) { r.Register("a", stubDriver{}); r.Register("a", stubDriver{}) }, `connectors: Register called twice for "a"`},
		{"nil driver", func(r *Registry) { r.Register("a", nil) }, "connectors: Register driver is nil"},
		{"empty name", func(r *Registry) { r.Register("", stubDriver{}) }, "connectors: Register name is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				got := fmt.Sprint(recover())
				if got != tc.panic {
					t.Errorf("panic = %q, want %q", got, tc.panic)
				}
			}()
			tc.reg(NewRegistry())
		})
	}
}

func TestRegistry(t *testing.T) {
	r := NewRegistry()
	for _, n := range []string{"sql", "fixture", "http"} {
		r.Register(n, stubDriver{name: n})
	}
	if diff := cmp.Diff([]string{"fixture", "http", "sql"}, r.Names()); diff != "" {
		t.Errorf("Names mismatch (-want +got):\n%s", diff)
	}
	d, ok := r.Lookup("http")
	if !ok || d.(stubDriver).name != "http" {
		t.Errorf("Lookup(http) = %v, %v", d, ok)
	}
	if _, ok := r.Lookup("grpc"); ok {
		t.Error("Lookup(grpc) found a driver that was never registered")
	}

	c := r.Clone()
	c.Register("grpc", stubDriver{})
	if _, ok := r.Lookup("grpc"); ok {
		t.Error("registering on a clone changed the original")
	}
	r.Register("ldap", stubDriver{})
	if _, ok := c.Lookup("ldap"); ok {
		t.Error("registering on the original changed the clone")
	}
	if diff := cmp.Diff([]string{"fixture", "grpc", "http", "sql"}, c.Names()); diff != "" {
		t.Errorf("clone Names mismatch (-want +got):\n%s", diff)
	}
}

func TestErrorCode(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{fmt.Errorf("orders %q: %w", "X", ErrNotFound), "not_found"},
		{fmt.Errorf("x: %w", ErrInvalidInput), "invalid_input"},
		{fmt.Errorf("x: %w", ErrUnknownOp), "unknown_operation"},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), "timeout"},
		{fmt.Errorf("x: %w", ErrUnavailable), "unavailable"},
		{errors.New("boom"), "error"},
	}
	for _, tc := range tests {
		if got := ErrorCode(tc.err); got != tc.want {
			t.Errorf("ErrorCode(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
