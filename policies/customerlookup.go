package policies

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// CustomerLookup asks the company's CRM who a customer is, when they first
// write and again after Refresh: the name, VIP status and tier it answers are
// kept on the customer, so the VIP is known on every channel.
type CustomerLookup struct {
	// Call is the operation and its input; Name is "customer_lookup". The input
	// reads only customer and var, and an input that comes out empty ("" or
	// null) is left out; with none left, nobody is looked up.
	Call    *Call
	Refresh time.Duration
	Range   hcl.Range
}

// DefaultLookupRefresh is how long a looked-up profile is trusted.
const DefaultLookupRefresh = 24 * time.Hour

// LookupFields are the operation's output fields kept on the customer.
var LookupFields = map[string]cty.Type{"name": cty.String, "vip": cty.Bool, "tier": cty.String}

var customerLookupSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "operation", Required: true},
		{Name: "input", Required: true},
		{Name: "refresh"},
	},
}

func (d *decoder) decodeCustomerLookupBlock(bot *Bot, block *hcl.Block) hcl.Diagnostics {
	if bot.CustomerLookup != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Duplicate customer_lookup block",
			Detail:   fmt.Sprintf("A customer_lookup block is already declared at %s; a bot has at most one.", bot.CustomerLookup.Range.String()),
			Subject:  block.DefRange.Ptr(),
		}}
	}
	l, diags := d.decodeCustomerLookup(block)
	bot.CustomerLookup = l
	return diags
}

// decodeCustomerLookup reads the customer_lookup block.
func (d *decoder) decodeCustomerLookup(block *hcl.Block) (*CustomerLookup, hcl.Diagnostics) {
	l := &CustomerLookup{Call: &Call{Name: "customer_lookup", Range: block.DefRange}, Refresh: DefaultLookupRefresh, Range: block.DefRange}
	content, diags := block.Body.Content(customerLookupSchema)
	if attr, ok := content.Attributes["operation"]; ok {
		conn, op, more := decodeOperationRef(attr.Expr)
		diags = append(diags, more...)
		if conn != "" {
			l.Call.Connector, l.Call.Operation = conn, op
			d.refs = append(d.refs, reference{kind: "operation", name: conn, op: op, rng: attr.Expr.Range()})
		}
	}
	l.Call.Input = exprOrNil(content.Attributes, "input")
	var more hcl.Diagnostics
	l.Refresh, more = attrDuration(content.Attributes, "refresh", DefaultLookupRefresh)
	return l, append(diags, more...)
}

// checkCustomerLookup checks what the lookup reads (the customer and the
// variables: it runs before any turn) and that its operation answers with
// something to keep.
func (c *checker) checkCustomerLookup() {
	l := c.bot.CustomerLookup
	if l == nil || l.Call.Connector == "" {
		return
	}
	conn, ok := c.bot.Connectors[l.Call.Connector]
	if !ok {
		return // an unknown connector is reported with the references
	}
	op, ok := conn.Operations[l.Call.Operation]
	if !ok {
		return
	}
	sc := newScopeSet(c.bot).global
	if l.Call.Input != nil {
		if _, isObject := l.Call.Input.(*hclsyntax.ObjectConsExpr); !isObject {
			c.errorf(l.Call.Input.Range(), "Invalid input", "A lookup's input is an object like { email = customer.email, phone = customer.phone }.")
			return
		}
		namesOK := true
		for _, trav := range l.Call.Input.Variables() {
			if root := trav.RootName(); root != "customer" && root != "var" {
				c.errorf(trav.SourceRange(), "Not available in a customer lookup", "The lookup runs before the bot reads the message, so its input can read only customer and var, not %s.", root)
				namesOK = false
			}
		}
		if namesOK && c.checkNames(l.Call.Input, sc, kindObject) {
			c.checkExprValue(l.Call.Input, kindObject, sc)
			if pairs, diags := hcl.ExprMap(l.Call.Input); !diags.HasErrors() {
				given := map[string]bool{}
				for _, p := range pairs {
					given[hcl.ExprAsKeyword(p.Key)] = true
				}
				for _, p := range op.Inputs {
					if !p.Optional && !given[p.Name] {
						c.errorf(l.Call.Input.Range(), "Missing input", "Operation %s.%s needs input %q (%s).", l.Call.Connector, l.Call.Operation, p.Name, p.Type.FriendlyName())
					}
				}
				for _, p := range pairs {
					key := hcl.ExprAsKeyword(p.Key)
					param, known := op.Input(key)
					if !known {
						c.errorf(p.Key.Range(), "Unknown input", "Operation %s.%s takes no input %q; it takes %s.%s", l.Call.Connector, l.Call.Operation, key, strings.Join(op.InputNames(), ", "), didYouMean(key, op.InputNames()))
						continue
					}
					c.checkInputType(l.Call, param, p.Value, sc)
				}
			}
		}
	}
	if op.Output == cty.NilType || op.Output == cty.DynamicPseudoType || !op.Output.IsObjectType() {
		return // an operation without a declared output: checked when it answers
	}
	var declared []string
	for _, name := range slices.Sorted(maps.Keys(LookupFields)) {
		if !op.Output.HasAttribute(name) {
			continue
		}
		declared = append(declared, name)
		if got, want := op.Output.AttributeType(name), LookupFields[name]; !got.Equals(want) {
			c.errorf(l.Range, "Wrong lookup output", "The lookup keeps %s as %s, but %s.%s answers it as %s.", name, want.FriendlyName(), l.Call.Connector, l.Call.Operation, got.FriendlyName())
		}
	}
	if len(declared) == 0 {
		c.errorf(l.Range, "Nothing to keep", "Operation %s.%s answers none of name, vip or tier, which the lookup keeps on the customer; declare them in its output.", l.Call.Connector, l.Call.Operation)
	}
}
