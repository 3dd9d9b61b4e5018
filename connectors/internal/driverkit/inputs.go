package driverkit

import (
	"slices"

	"github.com/parleyhq/parley/connectors"
)

// CheckInputs lists the required inputs a call lacks, in declaration order, and the
// inputs it has that are not declared, sorted so that messages are stable.
// Each connector words its own error from them.
func CheckInputs(declared []connectors.Param, in map[string]any) (missing, extra []string) {
	for _, p := range declared {
		if _, ok := in[p.Name]; !ok && !p.Optional {
			missing = append(missing, p.Name)
		}
	}
	for name := range in {
		if !slices.ContainsFunc(declared, func(p connectors.Param) bool { return p.Name == name }) {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	return missing, extra
}
