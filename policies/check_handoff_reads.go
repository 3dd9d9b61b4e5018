package policies

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// checkHandoffReads warns about handoff.* read where no handoff is being
// decided: the namespace is the handoff a rule with on = handoff replaces or
// lets through, and is empty everywhere else. A handoff policy on
// handoff.agents_online == 0 ("nobody online, take a message") holds on
// every message, and one on handoff.agents_online > 0 never does; neither
// is what the analyst meant, and nothing said so. Warnings, so bots that
// validate today keep validating.
func (c *checker) checkHandoffReads() {
	for _, h := range c.bot.Handoffs {
		if h == nil {
			continue
		}
		where := fmt.Sprintf("in handoff policy %q", h.Name)
		for _, e := range []hcl.Expression{h.When, h.QueueExpr, h.Summary} {
			c.warnHandoffRead(e, where)
		}
	}
	for _, r := range c.bot.Rules {
		if r == nil || r.On.Kind == "handoff" {
			continue
		}
		c.warnHandoffRead(r.When, fmt.Sprintf("in the when of rule %q", r.Name))
	}
}

func (c *checker) warnHandoffRead(e hcl.Expression, where string) {
	if e == nil {
		return
	}
	for _, trav := range e.Variables() {
		if trav.RootName() != "handoff" || len(trav) < 2 {
			continue
		}
		attr, ok := trav[1].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		empty, hint := `""`, ""
		switch attr.Name {
		case "agents_online":
			empty = "0"
			hint = " To count the agents online in a queue here, read queues.NAME.agents_online, such as queues.general.agents_online."
		case "queue":
			hint = " A handoff policy names its own queue; to decide by queue, write a rule with on = handoff."
		default:
			hint = " To decide about a handoff, write a rule with on = handoff."
		}
		c.warnf(trav.SourceRange(), "No handoff here",
			"handoff.%s is read %s, where no handoff is being decided, so it is always %s there. The handoff namespace is set only in rules with on = handoff, which run just before a handoff.%s",
			attr.Name, where, empty, hint)
	}
}
