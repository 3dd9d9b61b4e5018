package policies

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

func (c *checker) intentNames() []string {
	var out []string
	for _, it := range c.bot.Intents {
		out = append(out, it.Name)
	}
	return out
}

func (c *checker) dialogNames() []string {
	var out []string
	for _, dl := range c.bot.Dialogs {
		out = append(out, dl.Name)
	}
	return out
}

func (c *checker) findDialog(name string) *Dialog {
	for _, dl := range c.bot.Dialogs {
		if dl.Name == name {
			return dl
		}
	}
	return nil
}

// slotNotEntity explains an entity reference that names a slot, as in the
// annotation "[May 1 to May 5](stay)": values are marked with the slot's type,
// which is how the NLU knows them whatever slot they fill.
func (c *checker) slotNotEntity(r reference) string {
	if r.kind != "entity" {
		return ""
	}
	for _, dl := range c.bot.Dialogs {
		for _, s := range dl.Slots {
			if s.Name == r.name && s.Type != "" && s.Type != r.name {
				return fmt.Sprintf(" %q is a slot of dialog %q: name its type instead, %s.", r.name, dl.Name, s.Type)
			}
		}
	}
	return ""
}

func (c *checker) typeNames() []string {
	return append(slices.Clone(BuiltinTypes), sortedKeys(c.bot.Entities)...)
}

// allSlots maps each slot name declared in any dialog to its value type.
func (c *checker) allSlots() map[string]cty.Type {
	out := map[string]cty.Type{}
	for _, dl := range c.bot.Dialogs {
		for _, s := range dl.Slots {
			ty := ValueType(s.Type)
			if prev, ok := out[s.Name]; ok && !prev.Equals(ty) {
				ty = cty.DynamicPseudoType
			}
			out[s.Name] = ty
		}
	}
	return out
}

func (c *checker) resolveRefs() {
	for _, r := range c.d.refs {
		mark := len(c.diags)
		c.resolveRef(r)
		if r.use != nil {
			annotateUse(c.diags[mark:], r.use.def, r.use.use, r.use.where)
		}
	}
}

// existing says which names of a kind (plural: "slots") exist, for a message
// about one that does not, with a suggestion when one is close.
func existing(given, kinds string, names []string) string {
	if len(names) == 0 {
		return fmt.Sprintf(" There are no %s here.", kinds)
	}
	list := names
	if len(list) > 12 {
		list = append(slices.Clone(list[:12]), fmt.Sprintf("%d more", len(names)-12))
	}
	return fmt.Sprintf(" The %s here are %s.%s", kinds, joinAnd(list), didYouMean(given, names))
}

func joinAnd(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func (c *checker) resolveRef(r reference) {
	b := c.bot
	{
		switch r.kind {
		case "intent":
			if !slices.Contains(c.intentNames(), r.name) {
				c.errorf(r.rng, "Unknown intent", "There is no intent named %q.%s", r.name, didYouMean(r.name, c.intentNames()))
			}
		case "queue":
			if _, ok := b.Queues[r.name]; !ok {
				c.errorf(r.rng, "Unknown queue", "There is no queue named %q.%s", r.name, didYouMean(r.name, sortedKeys(b.Queues)))
			}
		case "triage":
			if !slices.Contains(c.triageNames(), r.name) {
				c.errorf(r.rng, "Unknown triage block", "There is no triage block named %q.%s", r.name, existing(r.name, "triage blocks", c.triageNames()))
			}
		case "dialog":
			if c.findDialog(r.name) == nil {
				c.errorf(r.rng, "Unknown dialog", "There is no dialog named %q.%s", r.name, existing(r.name, "dialogs", c.dialogNames()))
			}
		case "response":
			if _, ok := b.Responses[r.name]; !ok {
				c.errorf(r.rng, "Unknown response", "There is no response named %q.%s", r.name, didYouMean(r.name, sortedKeys(b.Responses)))
			}
		case "operation":
			conn, ok := b.Connectors[r.name]
			if !ok {
				c.errorf(r.rng, "Unknown connector", "There is no connector named %q.%s", r.name, didYouMean(r.name, sortedKeys(b.Connectors)))
				return
			}
			if _, ok := conn.Operations[r.op]; !ok && (c.d == nil || !c.d.operationsUnknown[conn]) {
				c.errorf(r.rng, "Unknown operation", "Connector %q has no operation named %q.%s", r.name, r.op, didYouMean(r.op, sortedKeys(conn.Operations)))
			}
		case "type", "entity":
			if slices.Contains(BuiltinTypes, r.name) {
				if r.expect != cty.NilVal {
					c.checkExpectedBuiltinValue(r.name, r)
				}
				return
			}
			if e, ok := b.Entities[r.name]; ok && r.expect != cty.NilVal {
				c.checkExpectedEntityValue(e, r)
			}
			if _, ok := b.Entities[r.name]; !ok {
				what := "slot type"
				if r.kind == "entity" {
					what = "entity"
				}
				hint := didYouMean(r.name, c.typeNames())
				if slotHint := c.slotNotEntity(r); slotHint != "" {
					hint = slotHint
				} else if hint == "" && r.kind == "type" {
					hint = timeTypeHint(r.name)
				} else if hint == "" {
					// "amount", "kwh": name what the bot does have.
					hint = existing(r.name, "entities", sortedKeys(b.Entities))
				}
				c.errorf(r.rng, "Unknown "+what, "%q is neither a builtin type (%s) nor an entity.%s", r.name, strings.Join(BuiltinTypes, ", "), hint)
			}
		case "slot":
			if r.dialog == "" {
				c.errorf(r.rng, "Reask outside a dialog", "reask returns to a slot of a dialog, so it can only be used inside a dialog or in a rule with on = dialog.NAME.")
				return
			}
			dl := c.findDialog(r.dialog)
			if dl == nil {
				return // reported as an unknown dialog
			}
			var names []string
			for _, s := range dl.Slots {
				names = append(names, s.Name)
			}
			if !slices.Contains(names, r.name) {
				c.errorf(r.rng, "Unknown slot", "Dialog %q has no slot named %q.%s", dl.Name, r.name, existing(r.name, "slots", names))
			} else if r.expect != cty.NilVal {
				c.checkExpectedSlotValue([]*Dialog{dl}, r)
			}
		case "anyslot":
			all := c.allSlots()
			if _, ok := all[r.name]; !ok {
				c.errorf(r.rng, "Unknown slot", "No dialog has a slot named %q. The dialogs' slots are: %s.%s", r.name, joinAnd(sortedKeys(all)), didYouMean(r.name, sortedKeys(all)))
			} else if r.expect != cty.NilVal {
				c.checkExpectedSlotValue(c.bot.Dialogs, r)
			}
		case "language":
			if !slices.Contains(b.Languages, r.name) {
				c.errorf(r.rng, "Language not spoken by the bot", "%q is not one of the bot's languages (%s).", r.name, strings.Join(b.Languages, ", "))
			}
		}
	}
}

func (c *checker) decodeTestConnectors() {
	for _, o := range c.d.testConnectors {
		conn, ok := c.bot.Connectors[o.name]
		if !ok {
			c.errorf(o.rng, "Unknown connector", "There is no connector named %q.%s", o.name, didYouMean(o.name, sortedKeys(c.bot.Connectors)))
			continue
		}
		base, ok := c.d.connectorBodies[conn]
		if !ok {
			continue // its type is unknown, which is reported already
		}
		connSpec, _, _ := c.d.connectorTypes.Lookup(conn.Type)
		var ctx *hcl.EvalContext
		if o.each != cty.NilVal {
			ctx = &hcl.EvalContext{Variables: map[string]cty.Value{"each": o.each}, Functions: functionTable}
		}
		val, diags := decodeSettingsIn(overrideBody{base: base, over: o.body}, connSpec, ctx)
		c.diags = append(c.diags, diags...)
		if o.test.Connectors == nil {
			o.test.Connectors = map[string]cty.Value{}
		}
		o.test.Connectors[o.name] = val
	}
}

// ---- messages ----
