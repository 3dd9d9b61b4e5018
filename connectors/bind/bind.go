// Package bind joins the connector registry to the policy language: it tells the
// loader each connector type's settings and operations, and turns a decoded
// connector block into the Config a driver opens. The engine and the connector
// conformance suite both use it, so a connector is decoded one way everywhere.
package bind

import (
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/policies"
)

// Types adapts a connectors.Registry to policies.ConnectorTypes (and
// policies.OperationDeclarer), so policies never imports connectors.
type Types struct{ Registry *connectors.Registry }

func (t Types) Lookup(typ string) (hcldec.Spec, hcldec.Spec, bool) {
	d, ok := t.Registry.Lookup(typ)
	if !ok {
		return nil, nil, false
	}
	s := d.Spec()
	return s.Connector, s.Operation, true
}

func (t Types) Names() []string { return t.Registry.Names() }

// DeclareOperations gives the loader the signatures of a connector type that
// defines its operations in Go, so calls to them are type-checked too.
func (t Types) DeclareOperations(decl *policies.Connector) ([]*policies.Operation, bool, error) {
	d, ok := t.Registry.Lookup(decl.Type)
	if !ok {
		return nil, false, nil
	}
	dec, ok := d.(connectors.Declarer)
	if !ok {
		return nil, false, nil
	}
	sigs, err := dec.Operations(Config(decl))
	if err != nil {
		return nil, true, err
	}
	ops := make([]*policies.Operation, 0, len(sigs))
	for _, s := range sigs {
		op := &policies.Operation{Name: s.Name, Description: s.Description, Output: s.Output, Inputs: []policies.Param{}}
		if op.Output == cty.NilType {
			op.Output = cty.DynamicPseudoType
		}
		for _, p := range s.Inputs {
			op.Inputs = append(op.Inputs, policies.Param{Name: p.Name, Type: p.Type, Optional: p.Optional})
		}
		ops = append(ops, op)
	}
	return ops, true, nil
}

// Config is what a driver opens for a decoded connector block.
func Config(decl *policies.Connector) connectors.Config {
	cfg := connectors.Config{Name: decl.Name, Settings: decl.Settings, Timeout: decl.Timeout, Operations: map[string]connectors.OperationConfig{}}
	for name, op := range decl.Operations {
		var params []connectors.Param
		if op.Inputs != nil {
			params = make([]connectors.Param, len(op.Inputs))
		}
		for i, p := range op.Inputs {
			params[i] = connectors.Param{Name: p.Name, Type: p.Type, Optional: p.Optional}
		}
		cfg.Operations[name] = connectors.OperationConfig{
			Description: op.Description, Inputs: params, Output: op.Output,
			Idempotent: op.Idempotent, Settings: op.Settings,
		}
	}
	return cfg
}
