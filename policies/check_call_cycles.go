package policies

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// checkCallCycles reports calls of a dialog whose inputs read each other's
// results, directly or through locals: a call waits for the calls it reads,
// so none of them would ever run and everything reading them would find no
// result. Reported once per cycle, at the first call of it written.
func (c *checker) checkCallCycles() {
	for _, dlg := range c.bot.Dialogs {
		byName := map[string]*Call{}
		for _, cl := range dlg.Calls {
			if cl != nil {
				byName[cl.Name] = cl
			}
		}
		reported := map[string]bool{}
		for _, cl := range dlg.Calls {
			if cl == nil || reported[cl.Name] {
				continue
			}
			cycle := callCycleFrom(byName, cl.Name)
			if cycle == nil {
				continue
			}
			for _, name := range cycle {
				reported[name] = true
			}
			c.errorf(callReadRange(cl, cycle[1]), "Calls read each other",
				"Call %q of dialog %q waits for the calls its input reads, and they wait for it: call.%s. None of them can run. Give one of them an input that reads slots only.",
				cl.Name, dlg.Name, strings.Join(cycle, " → call."))
		}
	}
}

// callCycleFrom returns a cycle of reads from start back to it (start at
// both ends), or nil. A call once explored is not explored again: from it
// there is no way back to start, or the search would have ended there, so
// each call is visited once, not once per path to it.
func callCycleFrom(byName map[string]*Call, start string) []string {
	seen := map[string]bool{start: true}
	var walk func(path []string) []string
	walk = func(path []string) []string {
		for _, next := range byName[path[len(path)-1]].ReadsCalls {
			if next == start {
				return append(slices.Clone(path), start)
			}
			if byName[next] == nil || seen[next] {
				continue
			}
			seen[next] = true
			if cycle := walk(append(path, next)); cycle != nil {
				return cycle
			}
		}
		return nil
	}
	return walk([]string{start})
}

// callReadRange is where cl's input reads call.name, or the whole input
// when it reads it through a local.
func callReadRange(cl *Call, name string) hcl.Range {
	for _, trav := range cl.Input.Variables() {
		if trav.RootName() != "call" || len(trav) < 2 {
			continue
		}
		if attr, ok := trav[1].(hcl.TraverseAttr); ok && attr.Name == name {
			return trav.SourceRange()
		}
	}
	return cl.Input.Range()
}
