package policies

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

var connectorSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type", Required: true},
		{Name: "timeout"},
		{Name: "description"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "operation", LabelNames: []string{"name"}},
		{Type: "retry"},
		{Type: "circuit_breaker"},
	},
}

var operationSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "input"},
		{Name: "output"},
		{Name: "idempotent"},
		{Name: "timeout"},
	},
}

var retrySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "attempts"}, {Name: "backoff"}, {Name: "max_backoff"}},
}

var breakerSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "failures"}, {Name: "cooldown"}},
}

// Defaults for a connector's reliability settings: a slow system gets 10 seconds,
// a failed call that is safe to repeat gets three tries in all, and five failures
// in a row stop calls for 30 seconds.
const (
	defaultConnectorTimeout = 10 * time.Second
	defaultAttempts         = 3
	defaultBackoff          = 200 * time.Millisecond
	defaultMaxBackoff       = 2 * time.Second
	defaultBreakerFailures  = 5
	defaultBreakerCooldown  = 30 * time.Second
	maxAttempts             = 10
)

// OperationDeclarer is implemented by ConnectorTypes whose connector types may
// declare their operations' signatures themselves (operations written in Go).
// declared is false when the type leaves that to the operation blocks.
type OperationDeclarer interface {
	DeclareOperations(c *Connector) (ops []*Operation, declared bool, err error)
}

// decodeConnector reads a connector. Parley's own arguments come first; whatever
// else the body holds is decoded with the connector type's spec, which also
// reports arguments neither knows.
func (d *decoder) decodeConnector(block *hcl.Block) (*Connector, hcl.Diagnostics) {
	c := &Connector{Name: block.Labels[0], Operations: map[string]*Operation{}, Settings: cty.EmptyObjectVal, Range: block.DefRange}
	content, remain, diags := block.Body.PartialContent(connectorSchema)
	var more hcl.Diagnostics
	c.Timeout, more = attrDuration(content.Attributes, "timeout", defaultConnectorTimeout)
	diags = append(diags, more...)
	c.Retry, more = decodeRetry(content.Blocks)
	diags = append(diags, more...)
	c.Breaker, more = decodeBreaker(content.Blocks)
	diags = append(diags, more...)
	_, more = attrString(content.Attributes, "description")
	diags = append(diags, more...)

	var connSpec, opSpec hcldec.Spec
	known := false
	if attr, ok := content.Attributes["type"]; ok {
		typ, present, more := literalString(attr.Expr)
		diags = append(diags, more...)
		c.Type = typ
		if present {
			if d.connectorTypes != nil {
				connSpec, opSpec, known = d.connectorTypes.Lookup(typ)
			}
			if !known {
				var names []string
				if d.connectorTypes != nil {
					names = d.connectorTypes.Names()
				}
				detail := fmt.Sprintf("There is no connector type %q.", typ)
				if len(names) > 0 {
					detail += fmt.Sprintf(" Known types: %v.", names) + didYouMean(typ, names)
				} else {
					detail += " No connector types are registered."
				}
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Unknown connector type",
					Detail:   detail,
					Subject:  attr.Expr.Range().Ptr(),
				})
			}
		}
	}
	if known {
		c.Settings, more = decodeSettings(remain, connSpec)
		diags = append(diags, more...)
		d.connectorBodies[c] = remain
	}

	for _, b := range content.Blocks {
		if b.Type != "operation" {
			continue
		}
		diags = append(diags, checkName(b)...)
		name := b.Labels[0]
		if first, dup := c.Operations[name]; dup {
			diags = append(diags, duplicateIn("operation", name, first.Range, b.DefRange))
			continue
		}
		op, more := decodeOperation(b, opSpec, known)
		diags = append(diags, more...)
		c.Operations[name] = op
	}
	if known && !diags.HasErrors() {
		diags = append(diags, d.declareOperations(c)...)
	} else if known {
		// A type that declares its operations in Go is not asked for them while
		// the block has mistakes, so calls to them cannot be checked: they are not
		// unknown operations, and saying so would hide the real mistake.
		if d.operationsUnknown == nil {
			d.operationsUnknown = map[*Connector]bool{}
		}
		d.operationsUnknown[c] = true
	}
	return c, diags
}

// declareOperations takes the operations' signatures from the connector type when
// it declares them itself. Operation blocks then only carry settings, and one that
// names an operation the type does not have is a mistake.
func (d *decoder) declareOperations(c *Connector) hcl.Diagnostics {
	od, ok := d.connectorTypes.(OperationDeclarer)
	if !ok {
		return nil
	}
	ops, declared, err := od.DeclareOperations(c)
	if err != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid connector",
			Detail:   fmt.Sprintf("Connector %q (type %q): %v.", c.Name, c.Type, err),
			Subject:  c.Range.Ptr(),
		}}
	}
	if !declared {
		return nil
	}
	c.Declared = true
	var diags hcl.Diagnostics
	byName := map[string]*Operation{}
	var names []string
	for _, op := range ops {
		byName[op.Name] = op
		names = append(names, op.Name)
	}
	for name, blk := range c.Operations {
		decl, ok := byName[name]
		if !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unknown operation",
				Detail:   fmt.Sprintf("Connector type %q has no operation %q; it has %s.%s", c.Type, name, strings.Join(names, ", "), didYouMean(name, names)),
				Subject:  blk.Range.Ptr(),
			})
			continue
		}
		if blk.Inputs != nil || (blk.Output != cty.NilType && blk.Output != cty.DynamicPseudoType) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Input and output come from the connector type",
				Detail:   fmt.Sprintf("Connector type %q defines operation %q itself, so its input and output here are ignored; remove them.", c.Type, name),
				Subject:  blk.Range.Ptr(),
			})
		}
		blk.Inputs, blk.Output = decl.Inputs, decl.Output
		if blk.Description == "" {
			blk.Description = decl.Description
		}
	}
	for _, op := range ops {
		if _, ok := c.Operations[op.Name]; !ok {
			op.Range = c.Range
			if op.Settings == cty.NilVal {
				op.Settings = cty.EmptyObjectVal
			}
			c.Operations[op.Name] = op
		}
	}
	return diags
}

func decodeRetry(blocks hcl.Blocks) (RetryPolicy, hcl.Diagnostics) {
	p := RetryPolicy{Attempts: defaultAttempts, Backoff: defaultBackoff, MaxBackoff: defaultMaxBackoff}
	b, diags := singleBlock(blocks, "retry")
	if b == nil {
		return p, diags
	}
	content, more := b.Body.Content(retrySchema)
	diags = append(diags, more...)
	if n, ok, more := attrInt(content.Attributes, "attempts"); ok || more.HasErrors() {
		diags = append(diags, more...)
		if ok {
			if n < 1 || n > maxAttempts {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid attempts",
					Detail:   fmt.Sprintf("attempts counts the first call too, so it is between 1 (no retries) and %d.", maxAttempts),
					Subject:  content.Attributes["attempts"].Expr.Range().Ptr(),
				})
			} else {
				p.Attempts = n
			}
		}
	}
	p.Backoff, more = attrDuration(content.Attributes, "backoff", p.Backoff)
	diags = append(diags, more...)
	p.MaxBackoff, more = attrDuration(content.Attributes, "max_backoff", p.MaxBackoff)
	diags = append(diags, more...)
	if p.MaxBackoff < p.Backoff {
		p.MaxBackoff = p.Backoff
	}
	return p, diags
}

func decodeBreaker(blocks hcl.Blocks) (BreakerPolicy, hcl.Diagnostics) {
	p := BreakerPolicy{Failures: defaultBreakerFailures, Cooldown: defaultBreakerCooldown}
	b, diags := singleBlock(blocks, "circuit_breaker")
	if b == nil {
		return p, diags
	}
	content, more := b.Body.Content(breakerSchema)
	diags = append(diags, more...)
	if n, ok, more := attrInt(content.Attributes, "failures"); ok || more.HasErrors() {
		diags = append(diags, more...)
		if ok {
			if n < 1 {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid failures",
					Detail:   "failures is how many failed calls in a row open the circuit: 1 or more.",
					Subject:  content.Attributes["failures"].Expr.Range().Ptr(),
				})
			} else {
				p.Failures = n
			}
		}
	}
	p.Cooldown, more = attrDuration(content.Attributes, "cooldown", p.Cooldown)
	diags = append(diags, more...)
	return p, diags
}

func decodeOperation(block *hcl.Block, spec hcldec.Spec, known bool) (*Operation, hcl.Diagnostics) {
	op := &Operation{Name: block.Labels[0], Settings: cty.EmptyObjectVal, Output: cty.DynamicPseudoType, Range: block.DefRange}
	content, remain, diags := block.Body.PartialContent(operationSchema)
	var more hcl.Diagnostics
	op.Description, more = attrString(content.Attributes, "description")
	diags = append(diags, more...)
	if attr, ok := content.Attributes["input"]; ok {
		op.Inputs, more = decodeInputs(attr)
		diags = append(diags, more...)
	}
	if attr, ok := content.Attributes["output"]; ok {
		op.Output, more = decodeOutput(attr)
		diags = append(diags, more...)
	}
	if _, ok := content.Attributes["idempotent"]; ok {
		b, more := attrBool(content.Attributes, "idempotent")
		diags = append(diags, more...)
		if !more.HasErrors() {
			op.Idempotent = &b
		}
	}
	op.Timeout, more = attrDuration(content.Attributes, "timeout", 0)
	diags = append(diags, more...)
	if known {
		op.Settings, more = decodeSettings(remain, spec)
		diags = append(diags, more...)
	}
	return op, diags
}

// decodeInputs reads an operation's inputs: an object of types,
// { order_id = string, note = optional(string) }, or a list of names whose
// values may be of any type.
func decodeInputs(attr *hcl.Attribute) ([]Param, hcl.Diagnostics) {
	if _, isList := attr.Expr.(*hclsyntax.TupleConsExpr); isList {
		names, _, diags := attrStringList(hcl.Attributes{attr.Name: attr}, attr.Name)
		var params []Param
		seen := map[string]bool{}
		for _, in := range names {
			if d := checkParamName(in, seen, attr.Expr.Range()); d != nil {
				diags = append(diags, d)
				continue
			}
			params = append(params, Param{Name: in, Type: cty.DynamicPseudoType})
		}
		return nonNilParams(params), diags
	}
	pairs, diags := hcl.ExprMap(attr.Expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid input",
			Detail:   "input declares the operation's inputs and their types, like { order_id = string, amount = number, note = optional(string) }.",
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	var params []Param
	seen := map[string]bool{}
	for _, p := range pairs {
		name := hcl.ExprAsKeyword(p.Key)
		if d := checkParamName(name, seen, p.Key.Range()); d != nil {
			diags = append(diags, d)
			continue
		}
		tyExpr, optional := p.Value, false
		if call, ok := p.Value.(*hclsyntax.FunctionCallExpr); ok && call.Name == "optional" && len(call.Args) == 1 {
			tyExpr, optional = call.Args[0], true
		}
		ty, more := typeexpr.TypeConstraint(tyExpr)
		if more.HasErrors() {
			diags = append(diags, typeDiag(p.Value.Range(), name))
			continue
		}
		params = append(params, Param{Name: name, Type: ty, Optional: optional})
	}
	return nonNilParams(params), diags
}

// nonNilParams keeps "declares no inputs" (an empty list) apart from "says nothing
// about its inputs" (nil), which turns the input check off.
func nonNilParams(ps []Param) []Param {
	if ps == nil {
		return []Param{}
	}
	return ps
}

func checkParamName(name string, seen map[string]bool, rng hcl.Range) *hcl.Diagnostic {
	switch {
	case name == "" || !hclsyntax.ValidIdentifier(name):
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid input name", Detail: fmt.Sprintf("%q is not a valid input name: use letters, digits and underscores.", name), Subject: rng.Ptr()}
	case seen[name]:
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate input", Detail: fmt.Sprintf("%q is declared twice.", name), Subject: rng.Ptr()}
	}
	seen[name] = true
	return nil
}

// decodeOutput reads the type of an operation's result, an object type written
// like { status = string, total = number, items = list(object({ sku = string })) }.
func decodeOutput(attr *hcl.Attribute) (cty.Type, hcl.Diagnostics) {
	pairs, diags := hcl.ExprMap(attr.Expr)
	if diags.HasErrors() {
		return cty.DynamicPseudoType, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid output",
			Detail:   "output declares the fields of the operation's result and their types, like { status = string, total = number }.",
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	attrs := map[string]cty.Type{}
	for _, p := range pairs {
		name := hcl.ExprAsKeyword(p.Key)
		if name == "" || !hclsyntax.ValidIdentifier(name) {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid output field", Detail: "Output field names are identifiers: letters, digits and underscores.", Subject: p.Key.Range().Ptr()})
			continue
		}
		if name == "error" {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Reserved output field", Detail: "call.NAME.error is the call's error code, so an output field can't be called error.", Subject: p.Key.Range().Ptr()})
			continue
		}
		if _, dup := attrs[name]; dup {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate output field", Detail: fmt.Sprintf("%q is declared twice.", name), Subject: p.Key.Range().Ptr()})
			continue
		}
		ty, more := typeexpr.TypeConstraint(p.Value)
		if more.HasErrors() {
			diags = append(diags, typeDiag(p.Value.Range(), name))
			continue
		}
		attrs[name] = ty
	}
	return cty.Object(attrs), diags
}

func typeDiag(rng hcl.Range, name string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid type",
		Detail:   fmt.Sprintf("The type of %q must be string, number, bool, list(TYPE), map(TYPE), object({...}) or any.", name),
		Subject:  rng.Ptr(),
	}
}

// decodeSettings decodes what a connector type adds to a block. With no spec, any
// argument left is a mistake.
func decodeSettings(body hcl.Body, spec hcldec.Spec) (cty.Value, hcl.Diagnostics) {
	return decodeSettingsIn(body, spec, nil)
}

// decodeSettingsIn decodes settings that may read variables: a test's
// connector block in a for_each test reads each.key and each.value.
func decodeSettingsIn(body hcl.Body, spec hcldec.Spec, ctx *hcl.EvalContext) (val cty.Value, diags hcl.Diagnostics) {
	if spec == nil {
		_, diags := body.Content(&hcl.BodySchema{})
		return cty.EmptyObjectVal, diags
	}
	// A connector type's spec is third-party code; a bug in it must not crash validate.
	defer func() {
		if r := recover(); r != nil {
			val = cty.NilVal
			diags = hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Connector settings cannot be decoded",
				Detail:   fmt.Sprintf("The connector type's settings decoder failed: %v.", r),
				Subject:  body.MissingItemRange().Ptr(),
			}}
		}
	}()
	return hcldec.Decode(body, spec, ctx)
}

// DecodeConnector decodes a file holding one connector block exactly as a bot's
// loader does, for connector authors' tests (connectortest.ConfigFromHCL).
func DecodeConnector(src []byte, filename string, types ConnectorTypes) (*Connector, hcl.Diagnostics) {
	file, diags := ParseHCL(src, filename)
	if diags.HasErrors() {
		return nil, diags
	}
	content, more := file.Body.Content(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "connector", LabelNames: []string{"name"}}}})
	diags = append(diags, more...)
	if diags.HasErrors() {
		return nil, diags
	}
	if len(content.Blocks) != 1 {
		return nil, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Want one connector block",
			Detail:   fmt.Sprintf("Found %d.", len(content.Blocks)),
			Subject:  file.Body.MissingItemRange().Ptr(),
		})
	}
	d := &decoder{connectorTypes: types, connectorBodies: map[*Connector]hcl.Body{}}
	c, more := d.decodeConnector(content.Blocks[0])
	return c, append(diags, more...)
}
