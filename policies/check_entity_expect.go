package policies

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// checkExpectedEntityValue warns where a test expects of a list entity a
// value it never yields: the NLU gives the canonical value, so
// entities = { medicine = "布洛芬" } fails on every run when 布洛芬 is a
// synonym of ibuprofen. Likewise for a lower-case value of an ignore_case
// pattern. A warning, since such a bot validates today.
func (c *checker) checkExpectedEntityValue(e *Entity, r reference) {
	if !r.expect.IsKnown() || r.expect.IsNull() {
		return
	}
	var want []cty.Value
	if ty := r.expect.Type(); ty.IsTupleType() || ty.IsListType() {
		want = r.expect.AsValueSlice()
	} else {
		want = []cty.Value{r.expect}
	}
	if e.Kind == EntityPattern && e.IgnoreCase {
		c.checkExpectedUpperCase(e, r, want)
		return
	}
	if e.Kind != EntityList {
		return
	}
	var canonical []string
	for _, v := range e.Values {
		canonical = append(canonical, v.Canonical)
	}
	for _, w := range want {
		if !w.IsKnown() || w.IsNull() || w.Type() != cty.String {
			continue
		}
		got := w.AsString()
		if got == "" || slices.Contains(canonical, got) {
			continue // an expected slot of "" is an empty one, as null is
		}
		hint := ""
		for _, v := range e.Values {
			if slices.ContainsFunc(v.Synonyms, func(s string) bool { return strings.EqualFold(s, got) }) || strings.EqualFold(v.Canonical, got) {
				hint = fmt.Sprintf(" %q is a synonym of %s, and the entity's value is always the canonical one: %s = %q.", got, v.Canonical, r.name, v.Canonical)
				break
			}
		}
		if hint == "" {
			hint = fmt.Sprintf(" Its values are %s.%s", strings.Join(canonical, ", "), didYouMean(got, canonical))
		}
		c.warnExpectedEntityValue(e, r, got, hint)
	}
}

// checkExpectedUpperCase warns where a test expects of an ignore_case pattern
// entity a value in lower case: its values are stored upper-cased, so "10am"
// is never what it yields for "10am" ("10AM" is).
func (c *checker) checkExpectedUpperCase(e *Entity, r reference, want []cty.Value) {
	for _, w := range want {
		if !w.IsKnown() || w.IsNull() || w.Type() != cty.String {
			continue
		}
		got := w.AsString()
		if upper := strings.ToUpper(got); upper != got {
			c.warnExpectedEntityValue(e, r, got, fmt.Sprintf(" With ignore_case it stores what it matches upper-cased: %s = %q.", r.name, upper))
		}
	}
}

func (c *checker) warnExpectedEntityValue(e *Entity, r reference, got, hint string) {
	key := r.expectRng.String() + "\x00" + got
	if c.entityExpectWarned[key] {
		return
	}
	if c.entityExpectWarned == nil {
		c.entityExpectWarned = map[string]bool{}
	}
	c.entityExpectWarned[key] = true
	c.warnf(r.expectRng, "Not a value of the entity", "Entity %q never yields %q, so this expectation never holds.%s", e.Name, got, hint)
}

// checkExpectedSlotValue is checkExpectedEntityValue for a test's expected
// slot value, where every slot of that name in the dialogs is of one list
// entity.
func (c *checker) checkExpectedSlotValue(dialogs []*Dialog, r reference) {
	var entity *Entity
	for _, dl := range dialogs {
		for _, s := range dl.Slots {
			if s == nil || s.Name != r.name {
				continue
			}
			e, ok := c.bot.Entities[s.Type]
			if !ok || entity != nil && e != entity {
				return
			}
			entity = e
		}
	}
	if entity != nil {
		c.checkExpectedEntityValue(entity, r)
	}
}
