package policies

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Local is a named expression, read as local.NAME, in the spirit of Terraform's
// locals: written once, used wherever the same value is needed. It is
// evaluated where it is read, so it sees that place's slots and calls.
type Local struct {
	Name  string
	Expr  hcl.Expression
	Range hcl.Range
}

// decodeLocals reads a locals block: each attribute is a local.
func decodeLocals(block *hcl.Block, decl declarations) ([]*Local, hcl.Diagnostics) {
	attrs, diags := block.Body.JustAttributes()
	var out []*Local
	for _, name := range sortedKeys(attrs) {
		attr := attrs[name]
		if more := decl.add("local", name, attr.NameRange); more != nil {
			diags = append(diags, more...)
			continue
		}
		out = append(out, &Local{Name: name, Expr: attr.Expr, Range: attr.NameRange})
	}
	return out, diags
}

// localReads lists the locals an expression reads.
func localReads(expr hcl.Expression) []string { return rootReads(expr, "local") }

// orderLocals sorts locals so each comes after the locals it reads, and
// reports a local that reads itself, directly or through others. Unknown
// locals are left to the name checks.
func orderLocals(locals []*Local) ([]*Local, hcl.Diagnostics) {
	byName := map[string]*Local{}
	for _, l := range locals {
		byName[l.Name] = l
	}
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	var out []*Local
	var diags hcl.Diagnostics
	var visit func(l *Local, path []string)
	visit = func(l *Local, path []string) {
		switch state[l.Name] {
		case done:
			return
		case visiting:
			cycle := append(path[indexOf(path, l.Name):], l.Name)
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Local reads itself",
				Detail:   fmt.Sprintf("local.%s depends on itself: %s. A local can only read locals that do not read it back.", l.Name, "local."+strings.Join(cycle, " → local.")),
				Subject:  l.Range.Ptr(),
			})
			return
		}
		state[l.Name] = visiting
		for _, dep := range localReads(l.Expr) {
			if d := byName[dep]; d != nil {
				visit(d, append(slices.Clone(path), l.Name))
			}
		}
		state[l.Name] = done
		out = append(out, l)
	}
	for _, l := range locals {
		visit(l, nil)
	}
	return out, diags
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return 0
}

// evalLocals adds local to ctx: each local evaluated in ctx, in order. A local
// that can't be evaluated here (it reads a call that has not run, or fails) is
// unknown, so a condition on it is false and a message showing it fails, as
// for a call that has not run.
func evalLocals(locals []*Local, ctx *hcl.EvalContext) {
	if len(locals) == 0 {
		ctx.Variables["local"] = cty.EmptyObjectVal
		return
	}
	vals := make(map[string]cty.Value, len(locals))
	for _, l := range locals {
		vals[l.Name] = cty.DynamicVal
	}
	for _, l := range locals {
		ctx.Variables["local"] = cty.ObjectVal(vals)
		v, diags := l.Expr.Value(ctx)
		if diags.HasErrors() || v == cty.NilVal {
			v = cty.DynamicVal
		}
		vals[l.Name] = v
	}
	ctx.Variables["local"] = cty.ObjectVal(vals)
}
