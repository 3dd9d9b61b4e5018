package policies

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Calls that each read every call before them (a pipeline of lookups) hold
// no cycle, and the check visits each call once per start: following every
// path instead, as it did, took 2^n steps (40 calls: days).
func TestCallCyclesManyCallsReadingEachOther(t *testing.T) {
	for _, withCycle := range []bool{false, true} {
		const n = 40
		dlg := &Dialog{Name: "pipeline"}
		for i := range n {
			cl := &Call{Name: fmt.Sprintf("c%d", i), Input: hcl.StaticExpr(cty.EmptyObjectVal, hcl.Range{})}
			for j := range i {
				cl.ReadsCalls = append(cl.ReadsCalls, fmt.Sprintf("c%d", j))
			}
			dlg.Calls = append(dlg.Calls, cl)
		}
		if withCycle {
			dlg.Calls[0].ReadsCalls = []string{fmt.Sprintf("c%d", n-1)}
		}
		c := &checker{bot: &Bot{Dialogs: []*Dialog{dlg}}}
		c.checkCallCycles()
		switch {
		case !withCycle && len(c.diags) != 0:
			t.Errorf("no cycle: got %v", c.diags)
		case withCycle && (len(c.diags) == 0 || !strings.Contains(c.diags[0].Detail, "call.c0 → call.c39 → call.c0")):
			// Every other call is on a cycle of its own through c0 and c39.
			t.Errorf("c0 reads c39: got %v, want first the cycle call.c0 → call.c39 → call.c0", c.diags)
		}
	}
}
