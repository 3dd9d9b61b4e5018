package testmock

import (
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/policies"
)

// ProblemKind says why a call could not be answered the way a test expects.
type ProblemKind int

const (
	// Unmatched: the suite mocks the connector, and no mock matches the call.
	Unmatched ProblemKind = iota + 1
	// Unreachable: the real system did not answer the connection.
	Unreachable
	// Unopened: the real connector could not be opened (its settings or
	// environment are missing).
	Unopened
)

// Problem is a call a test could not rely on.
type Problem struct {
	Kind      ProblemKind
	Connector string
	Type      string // the connector type
	Operation string
	Input     map[string]any
	Live      bool   // under parley test -live
	Endpoint  string // Unreachable: where the connector calls
	Err       error
	output    cty.Type
}

// Message says what happened and how to fix it, ending with a mock block for
// the call when one is the fix.
func (p Problem) Message() string {
	op := "connector." + p.Connector + "." + p.Operation
	mock := "\n" + indent(p.Mock(), "  ")
	switch p.Kind {
	case Unmatched:
		if p.Type == "fixture" {
			// Mocking one of a fixture's operations takes its data away from
			// the others, which surprises authors who mocked only a failure.
			return fmt.Sprintf("%s was called with %s, and no mock matches it: a connector the test mocks answers only from mocks. Mock it in the test (or at the top level, for every test), or give the test connector %q {} to let the fixture's data answer what the mocks don't:%s",
				op, inputText(p.Input), p.Connector, mock)
		}
		return fmt.Sprintf("%s was called with %s, and no mock matches it. Mock it in the test (or at the top level, for every test):%s",
			op, inputText(p.Input), mock)
	case Unopened:
		msg := fmt.Sprintf("connector %q (%s) could not be opened for %s: %v. ", p.Connector, p.Type, op, p.Err)
		if p.Live {
			return msg + "Give it what it needs, or run the tests without -live to use their mocks."
		}
		return msg + "Give it what it needs, or mock the call:" + mock
	}
	where := p.Endpoint
	if where == "" {
		where = "its system"
	}
	msg := fmt.Sprintf("connector %q (%s) cannot reach %s: %v.\n", p.Connector, p.Type, where, rootCause(p.Err))
	if p.Live {
		return msg + "Start the system it calls (for the example bots, make run starts their backend), or run the tests without -live to use their mocks."
	}
	return msg + "Start the system it calls (for the example bots, make run starts their backend), or mock the call:" + mock
}

// Mock is a mock block for the call, to paste into the test: it matches the
// call's inputs and answers with the declared output's zero values, to edit.
func (p Problem) Mock() string {
	var b strings.Builder
	b.WriteString("mock {\n")
	fmt.Fprintf(&b, "operation = connector.%s.%s\n", p.Connector, p.Operation)
	if len(p.Input) > 0 {
		fmt.Fprintf(&b, "input = %s\n", inputText(p.Input))
	}
	fmt.Fprintf(&b, "output = %s # or: error = %q (or %s)\n", valueText(zeroValue(p.output)), policies.ErrorCodes[0], strings.Join(policies.ErrorCodes[1:], ", "))
	b.WriteString("}\n")
	return strings.TrimSuffix(string(hclwrite.Format([]byte(b.String()))), "\n")
}

// inputText writes a call's inputs as an HCL object, nulls left out.
func inputText(input map[string]any) string {
	clean := map[string]any{}
	for k, v := range input {
		if v != nil {
			clean[k] = v
		}
	}
	v, err := connectors.ToCty(clean)
	if err != nil {
		return fmt.Sprint(input)
	}
	return valueText(v)
}

// valueText writes a value as HCL on one line: { a = "x", b = 1 }.
func valueText(v cty.Value) string {
	if v.Type().IsObjectType() && !v.IsNull() {
		attrs := v.AsValueMap()
		if len(attrs) == 0 {
			return "{}"
		}
		names := make([]string, 0, len(attrs))
		for k := range attrs {
			names = append(names, k)
		}
		sort.Strings(names)
		parts := make([]string, len(names))
		for i, k := range names {
			key := k
			if !validIdentifier(k) {
				key = fmt.Sprintf("%q", k)
			}
			parts[i] = key + " = " + valueText(attrs[k])
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	return strings.TrimSpace(string(hclwrite.TokensForValue(v).Bytes()))
}

func validIdentifier(s string) bool {
	for i, r := range s {
		letter := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r == '-' || r >= '0' && r <= '9')) {
			return false
		}
	}
	return s != ""
}

// zeroValue is a placeholder of a type: "", 0, false, [] and objects of those.
func zeroValue(ty cty.Type) cty.Value {
	switch {
	case ty == cty.String:
		return cty.StringVal("")
	case ty == cty.Number:
		return cty.Zero
	case ty == cty.Bool:
		return cty.False
	case ty.IsObjectType():
		attrs := map[string]cty.Value{}
		for name, at := range ty.AttributeTypes() {
			attrs[name] = zeroValue(at)
		}
		return cty.ObjectVal(attrs)
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		return cty.EmptyTupleVal
	}
	return cty.EmptyObjectVal
}

// unreachable says whether a call failed because nothing answered at the
// system's address: a refused connection, an unknown host, a connect timeout.
func unreachable(err error) bool {
	if dnsErr, ok := errors.AsType[*net.DNSError](err); ok && dnsErr != nil {
		return true
	}
	opErr, ok := errors.AsType[*net.OpError](err)
	return ok && opErr.Op == "dial"
}

// endpoint is where the connector calls: what it says itself, or the address
// it dialled.
func (c *connector) endpoint(err error) string {
	if e, ok := c.real.(connectors.Endpointer); ok && e.Endpoint() != "" {
		return e.Endpoint()
	}
	if opErr, ok := errors.AsType[*net.OpError](err); ok && opErr.Addr != nil {
		return opErr.Addr.String()
	}
	return ""
}

// rootCause is the innermost error: "connect: connection refused" rather than
// the chain of every layer above it.
func rootCause(err error) error {
	if opErr, ok := errors.AsType[*net.OpError](err); ok {
		return opErr
	}
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
